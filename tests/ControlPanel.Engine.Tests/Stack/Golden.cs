using System.Runtime.CompilerServices;
using System.Text;
using ControlPanel.Engine.Stages;

namespace ControlPanel.Engine.Tests.Stack;

/// <summary>
/// Golden files of dry-run previews under Stack/golden. A difference fails the test and shows both texts;
/// UPDATE_GOLDEN=1 rewrites them instead (then review the diff in git before committing).
/// </summary>
public static class Golden
{
    public static string Render(IReadOnlyList<StagePreview> previews)
    {
        var sb = new StringBuilder();
        foreach (var p in previews)
        {
            var state = p.Error is not null ? "FAIL" : p.WouldSkip ? "skip" : "apply";
            sb.Append($"== {p.Name} [{state}]");
            if (p.Reason is not null) sb.Append(" — ").Append(p.Reason);
            sb.Append('\n');
            if (p.Error is not null) sb.Append("   error: ").Append(p.Error.Replace("\n", "\n          ")).Append('\n');
            foreach (var a in p.Actions)
            {
                if (a.Command is not null) { sb.Append("   $ ").Append(a.Command).Append('\n'); continue; }
                sb.Append("   file ").Append(a.File!.Summary).Append('\n');
                foreach (var line in a.File.Diff.TrimEnd('\n').Split('\n'))
                    if (line.Length > 0) sb.Append("     ").Append(line).Append('\n');
            }
        }
        return sb.ToString();
    }

    public static void Assert(string name, string actual, [CallerFilePath] string caller = "")
    {
        var path = Path.Combine(Path.GetDirectoryName(caller)!, "golden", name);
        if (Environment.GetEnvironmentVariable("UPDATE_GOLDEN") == "1")
        {
            File.WriteAllText(path, actual);
            return;
        }
        Xunit.Assert.True(File.Exists(path), $"golden file {path} is missing; run with UPDATE_GOLDEN=1 to create it");
        Xunit.Assert.Equal(File.ReadAllText(path), actual);
    }
}
