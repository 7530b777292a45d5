using System.Text;
using DiffPlex;
using DiffPlex.Model;

namespace ControlPanel.Engine.Hosts;

/// <summary>
/// A unified diff of two texts (the format of `diff -u`), for previews of file changes: DiffPlex finds the changed
/// lines, the hunks around them are written here. DiffPlex's own UnidiffRenderer is not used: its lines are split at
/// each line break, so a text's final newline shows as an extra empty line and a missing one is not marked, and
/// patch then refuses the diff or adds a blank line.
/// </summary>
public static class UnifiedDiff
{
    const int Context = 3;
    const string NoNewline = "\\ No newline at end of file\n";

    public static string Compute(string path, string oldText, string newText)
    {
        if (oldText == newText) return "";
        var diff = Differ.Instance.CreateCustomDiffs(oldText, newText, ignoreWhiteSpace: false, Lines);
        var sb = new StringBuilder();
        sb.Append("--- ").Append(oldText.Length == 0 ? "/dev/null" : "a" + path).Append('\n');
        sb.Append("+++ b").Append(path).Append('\n');
        foreach (var hunk in Hunks(diff.DiffBlocks)) AppendHunk(sb, diff, hunk);
        return sb.ToString();
    }

    /// <summary>
    /// Lines with their '\n' kept, so that a last line without one differs from the same line with one (as in
    /// diff). Only '\n' ends a line: a '\r' stays part of it, as patch reads it.
    /// </summary>
    static string[] Lines(string text)
    {
        var lines = new List<string>();
        for (int start = 0, end; start < text.Length; start = end)
        {
            end = text.IndexOf('\n', start) is var nl and >= 0 ? nl + 1 : text.Length;
            lines.Add(text[start..end]);
        }
        return [.. lines];
    }

    /// <summary>Runs of change blocks whose context would touch or overlap, as diff joins them.</summary>
    static IEnumerable<List<DiffBlock>> Hunks(IList<DiffBlock> blocks)
    {
        var hunk = new List<DiffBlock>();
        foreach (var block in blocks)
        {
            if (hunk.Count > 0 && block.DeleteStartA - (hunk[^1].DeleteStartA + hunk[^1].DeleteCountA) > 2 * Context)
            {
                yield return hunk;
                hunk = new List<DiffBlock>();
            }
            hunk.Add(block);
        }
        if (hunk.Count > 0) yield return hunk;
    }

    static void AppendHunk(StringBuilder sb, DiffResult diff, List<DiffBlock> blocks)
    {
        var (first, last) = (blocks[0], blocks[^1]);
        var oldFrom = Math.Max(0, first.DeleteStartA - Context);
        var oldTo = Math.Min(diff.PiecesOld.Count, last.DeleteStartA + last.DeleteCountA + Context);
        // Outside the change blocks both texts have the same lines, so the context counts the same on both sides.
        var newFrom = first.InsertStartB - (first.DeleteStartA - oldFrom);
        var newTo = last.InsertStartB + last.InsertCountB + (oldTo - last.DeleteStartA - last.DeleteCountA);
        sb.Append($"@@ -{Range(oldFrom, oldTo)} +{Range(newFrom, newTo)} @@\n");

        var at = oldFrom;
        foreach (var block in blocks)
        {
            for (; at < block.DeleteStartA; at++) AppendLine(sb, ' ', diff.PiecesOld[at]);
            for (var i = 0; i < block.DeleteCountA; i++) AppendLine(sb, '-', diff.PiecesOld[block.DeleteStartA + i]);
            for (var i = 0; i < block.InsertCountB; i++) AppendLine(sb, '+', diff.PiecesNew[block.InsertStartB + i]);
            at = block.DeleteStartA + block.DeleteCountA;
        }
        for (; at < oldTo; at++) AppendLine(sb, ' ', diff.PiecesOld[at]);
    }

    // An empty range starts at the line before it (0 before the first line), as diff writes it and patch reads it.
    static string Range(int from, int to) => $"{(to == from ? from : from + 1)},{to - from}";

    static void AppendLine(StringBuilder sb, char kind, string line)
    {
        sb.Append(kind).Append(line);
        if (!line.EndsWith('\n')) sb.Append('\n').Append(NoNewline);
    }
}
