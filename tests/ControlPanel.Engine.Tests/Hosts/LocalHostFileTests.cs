using ControlPanel.Engine.Hosts;
using ControlPanel.Engine.Tests.Support;

namespace ControlPanel.Engine.Tests.Hosts;

/// <summary>File operations through the command-based host, on the real filesystem.</summary>
public class LocalHostFileTests : IDisposable
{
    readonly TempDir tmp = new();
    readonly LocalHost host = new();
    public void Dispose() => tmp.Dispose();

    [Fact]
    public async Task Write_creates_with_mode_and_reports_a_diff_then_is_idempotent()
    {
        var path = tmp.Sub("etc/app/site.conf");
        var first = await host.WriteFileAsync(new FileSpec(path, "a\nb\n", "0640"), default);
        Assert.Equal(FileChangeKind.Created, first.Kind);
        Assert.Contains("+a", first.Diff);
        Assert.Equal("a\nb\n", await File.ReadAllTextAsync(path));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead, File.GetUnixFileMode(path));

        var second = await host.WriteFileAsync(new FileSpec(path, "a\nb\n", "640"), default);
        Assert.Equal(FileChangeKind.Unchanged, second.Kind);

        var third = await host.WriteFileAsync(new FileSpec(path, "a\nc\n", "0640"), default);
        Assert.Equal(FileChangeKind.Modified, third.Kind);
        Assert.Contains("-b", third.Diff);
        Assert.Contains("+c", third.Diff);
    }

    [Fact]
    public async Task An_empty_file_is_content_too_and_new_directories_get_0755()
    {
        var path = tmp.Sub("new/deeper/empty");
        Assert.Equal(FileChangeKind.Created, (await host.WriteFileAsync(new FileSpec(path, "", "0600"), default)).Kind);
        Assert.Equal("", await File.ReadAllTextAsync(path));
        Assert.Equal(FileChangeKind.Unchanged, (await host.WriteFileAsync(new FileSpec(path, "", "0600"), default)).Kind);
        Assert.Equal(FileChangeKind.Modified, (await host.WriteFileAsync(new FileSpec(path, "x", "0600"), default)).Kind);
        Assert.Equal((UnixFileMode)0b111_101_101, File.GetUnixFileMode(tmp.Sub("new/deeper")));
    }

    [Fact]
    public async Task A_directory_where_the_file_should_be_is_not_taken_for_its_content()
    {
        var path = tmp.Sub("taken");
        Directory.CreateDirectory(path);
        Assert.Null(await host.ReadFileAsync(path, default));
        Assert.NotNull(await host.StatAsync(path, default));
        var change = await host.WriteFileAsync(new FileSpec(Path.Combine(path, "inside"), "y", "0644"), default);
        Assert.Equal(FileChangeKind.Created, change.Kind);
    }

    [Fact]
    public async Task A_mode_change_alone_is_a_change()
    {
        var path = tmp.Sub("f");
        await host.WriteFileAsync(new FileSpec(path, "x", "0644"), default);
        var change = await host.WriteFileAsync(new FileSpec(path, "x", "0600"), default);
        Assert.Equal(FileChangeKind.Modified, change.Kind);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
        Assert.Contains("0644 -> 0600", change.Summary);
    }

    [Fact]
    public async Task Content_without_trailing_newline_and_unicode_round_trip_exactly()
    {
        var path = tmp.Sub("u");
        const string text = "密码 = 'x'\n$HOME `id` \\ no newline at end";
        await host.WriteFileAsync(new FileSpec(path, text, "0600"), default);
        Assert.Equal(text, await host.ReadFileAsync(path, default));
        Assert.Equal(FileChangeKind.Unchanged, (await host.WriteFileAsync(new FileSpec(path, text, "0600"), default)).Kind);
    }

    [Fact]
    public async Task Secret_files_never_show_content_in_the_diff()
    {
        var change = await host.WriteFileAsync(new FileSpec(tmp.Sub("secret"), "hunter2-password", "0600", secret: true), default);
        Assert.DoesNotContain("hunter2", change.Diff);
        Assert.Equal(FileChange.SecretDiff, change.Diff);
    }

    [Fact]
    public async Task Paths_with_spaces_and_shell_characters_are_handled_as_data()
    {
        var path = tmp.Sub("we ird $(touch pwned) ;name");
        await host.WriteFileAsync(new FileSpec(path, "ok", "0644"), default);
        Assert.Equal("ok", await File.ReadAllTextAsync(path));
        Assert.False(File.Exists(tmp.Sub("pwned")));
        Assert.Equal(FileChangeKind.Deleted, (await host.DeleteFileAsync(path, default)).Kind);
        Assert.False(File.Exists(path));
        Assert.Equal(FileChangeKind.Unchanged, (await host.DeleteFileAsync(path, default)).Kind);
    }

    [Fact]
    public async Task Missing_files_read_as_null_and_stat_as_null()
    {
        Assert.Null(await host.ReadFileAsync(tmp.Sub("none"), default));
        Assert.Null(await host.StatAsync(tmp.Sub("none"), default));
    }

    [Fact]
    public async Task Upload_copies_bytes_with_mode_and_is_idempotent()
    {
        var src = tmp.Sub("artifact.bin");
        var bytes = Enumerable.Range(0, 70_000).Select(i => (byte)(i * 7)).ToArray();
        await File.WriteAllBytesAsync(src, bytes);
        var dest = tmp.Sub("usr/local/bin/tool");
        Assert.Equal(FileChangeKind.Created, (await host.UploadAsync(src, dest, "0755", default)).Kind);
        Assert.Equal(bytes, await File.ReadAllBytesAsync(dest));
        Assert.True(File.GetUnixFileMode(dest).HasFlag(UnixFileMode.OtherExecute));
        Assert.Equal(FileChangeKind.Unchanged, (await host.UploadAsync(src, dest, "0755", default)).Kind);
    }

    [Fact]
    public async Task The_write_leaves_no_temp_files_behind()
    {
        var path = tmp.Sub("dir/f.conf");
        for (var i = 0; i < 3; i++) await host.WriteFileAsync(new FileSpec(path, $"v{i}", "0644"), default);
        Assert.Equal(["f.conf"], Directory.GetFiles(tmp.Sub("dir")).Select(Path.GetFileName));
    }

    [Fact]
    public void Bad_specs_are_refused()
    {
        Assert.Throws<ArgumentException>(() => new FileSpec("relative/path", "", "0644"));
        Assert.Throws<ArgumentException>(() => new FileSpec("/a/../etc/passwd", "", "0644"));
        Assert.Throws<ArgumentException>(() => new FileSpec("/a", "", "0999"));
        Assert.Throws<ArgumentException>(() => new FileSpec("/a", "", "0644", "root;rm"));
    }
}
