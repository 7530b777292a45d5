using ControlPanel.Engine.Stages;

namespace ControlPanel.Cli;

/// <summary>Prints a dry run: per stage, skip or the exact commands and file diffs.</summary>
static class PreviewPrinter
{
    public static void Print(string kind, string host, IReadOnlyList<StagePreview> preview)
    {
        Console.WriteLine($"dry run of {kind} on {host}: nothing is changed");
        for (var i = 0; i < preview.Count; i++)
        {
            var p = preview[i];
            Console.WriteLine();
            var state = p.Error is not null ? "WOULD FAIL" : p.WouldSkip ? "skip" : "apply";
            Console.WriteLine($"[{i + 1}/{preview.Count}] {p.Name} — {p.Title}: {state}" + (p.Reason is null ? "" : $" ({p.Reason})"));
            if (p.Error is not null) Console.WriteLine("    error: " + p.Error.Replace("\n", "\n    "));
            foreach (var a in p.Actions)
            {
                if (a.Command is not null) { Console.WriteLine("    $ " + a.Command); continue; }
                var f = a.File!;
                Console.WriteLine("    file " + f.Summary);
                foreach (var line in f.Diff.TrimEnd('\n').Split('\n'))
                    if (line.Length > 0) Console.WriteLine("      " + line);
            }
        }
    }
}
