using ControlPanel.Engine.Hosts;
using ControlPanel.Engine.Processes;
using ControlPanel.Engine.Tests.Support;

namespace ControlPanel.Engine.Tests.Hosts;

public class UnifiedDiffTests
{
    [Fact]
    public void Equal_texts_have_no_diff() => Assert.Equal("", UnifiedDiff.Compute("/f", "a\n", "a\n"));

    [Fact]
    public async Task The_diff_applies_with_gnu_patch_to_give_the_new_text()
    {
        var old = string.Join('\n', Enumerable.Range(1, 40).Select(i => $"line {i}")) + "\n";
        var lines = old.Split('\n').ToList();
        lines[5] = "changed 6"; lines.Insert(20, "inserted"); lines.RemoveAt(35);
        var @new = string.Join('\n', lines);
        var diff = UnifiedDiff.Compute("/f", old, @new);
        Assert.Equal(3, diff.Split('\n').Count(l => l.StartsWith("@@")));
        Assert.Equal(@new, await PatchAsync(old, diff));
    }

    [Fact]
    public void Hunks_have_diffs_headers_and_three_lines_of_context()
    {
        Assert.Equal("--- a/etc/f\n+++ b/etc/f\n@@ -2,7 +2,7 @@\n 2\n 3\n 4\n-5\n+five\n 6\n 7\n 8\n",
            UnifiedDiff.Compute("/etc/f", "1\n2\n3\n4\n5\n6\n7\n8\n9\n", "1\n2\n3\n4\nfive\n6\n7\n8\n9\n"));
        Assert.Equal("--- /dev/null\n+++ b/etc/f\n@@ -0,0 +1,2 @@\n+a\n+b\n", UnifiedDiff.Compute("/etc/f", "", "a\nb\n"));
        Assert.Equal("--- a/etc/f\n+++ b/etc/f\n@@ -1,1 +1,1 @@\n-a\n\\ No newline at end of file\n+a\n",
            UnifiedDiff.Compute("/etc/f", "a", "a\n"));
    }

    public static TheoryData<string, string> Pairs()
    {
        // Config-like text with many equal lines, where a diff has several ways to line things up.
        var config = string.Join("", Enumerable.Range(0, 30).Select(i => $"[section{i % 4}]\n  key = {i}\n}}\n\n"));
        var random = new Random(7);
        var edited = config.Split('\n').ToList();
        for (var i = 0; i < 25; i++)
        {
            var at = random.Next(edited.Count - 1);
            switch (random.Next(3))
            {
                case 0: edited.RemoveAt(at); break;
                case 1: edited.Insert(at, "}"); break;
                default: edited[at] = $"  key = {random.Next(100)}"; break;
            }
        }
        return new()
        {
            { "", "a\nb\n" },
            { "a\nb\n", "" },
            { "a\nb", "a\nb\n" },
            { "a\nb\n", "a\nb" },
            { "one\ntwo\nthree", "one\n2\nthree" },
            { "a\r\nb\r\nc\r\n", "a\r\nB\r\nc\r\n" },
            { "x = 1\r old mac\ny\n", "x = 2\r old mac\ny\n" },
            { "1\n2\n3\n4\n5\n6\n7\n8\n9\n10\n", "0\n1\n2\n3\n4\n6\n7\n8\n9\n" },
            { "same\nsame\nsame\nsame\n", "same\nother\nsame\nsame\nsame\nsame\n" },
            { config, string.Join('\n', edited) },
        };
    }

    [Theory]
    [MemberData(nameof(Pairs))]
    public async Task Gnu_patch_turns_the_old_text_into_the_new_one(string old, string @new) =>
        Assert.Equal(@new, await PatchAsync(old, UnifiedDiff.Compute("/f", old, @new)));

    static async Task<string> PatchAsync(string old, string diff)
    {
        using var tmp = new TempDir();
        var file = tmp.Sub("f");
        await File.WriteAllTextAsync(file, old);
        // No fuzz: patch must find every context line as written, or it fails (and so does the test).
        await ProcessRunner.Default.RunAsync(new ProcessSpec(["patch", "-s", "--fuzz=0", "--no-backup-if-mismatch", file]) { Stdin = System.Text.Encoding.UTF8.GetBytes(diff) });
        return await File.ReadAllTextAsync(file);
    }
}
