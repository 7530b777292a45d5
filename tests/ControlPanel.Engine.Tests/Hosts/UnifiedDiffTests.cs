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
        using var tmp = new TempDir();
        var old = string.Join('\n', Enumerable.Range(1, 40).Select(i => $"line {i}")) + "\n";
        var lines = old.Split('\n').ToList();
        lines[5] = "changed 6"; lines.Insert(20, "inserted"); lines.RemoveAt(35);
        var @new = string.Join('\n', lines);
        var diff = UnifiedDiff.Compute("/f", old, @new);
        Assert.Equal(3, diff.Split('\n').Count(l => l.StartsWith("@@")));

        var file = tmp.Sub("f");
        await File.WriteAllTextAsync(file, old);
        await ProcessRunner.Default.RunAsync(new ProcessSpec(["patch", "-s", file]) { Stdin = System.Text.Encoding.UTF8.GetBytes(diff) });
        Assert.Equal(@new, await File.ReadAllTextAsync(file));
    }
}
