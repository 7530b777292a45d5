using System.Text;

namespace ControlPanel.Engine.Hosts;

/// <summary>A unified diff of two texts (the format of `diff -u`), for previews of file changes.</summary>
public static class UnifiedDiff
{
    const int Context = 3;
    // Config files are small; past this size an exact LCS costs too much memory, so the diff shows a whole replacement.
    const long MaxCells = 4_000_000;

    public static string Compute(string path, string oldText, string newText)
    {
        if (oldText == newText) return "";
        var a = SplitLines(oldText);
        var b = SplitLines(newText);
        var ops = (long)a.Length * b.Length <= MaxCells ? Lcs(a, b) : Replace(a, b);
        var sb = new StringBuilder();
        sb.Append("--- ").Append(oldText.Length == 0 ? "/dev/null" : "a" + path).Append('\n');
        sb.Append("+++ b").Append(path).Append('\n');
        foreach (var hunk in Hunks(ops)) AppendHunk(sb, ops, hunk.Start, hunk.End);
        return sb.ToString();
    }

    static string[] SplitLines(string text)
    {
        if (text.Length == 0) return [];
        var lines = text.Split('\n');
        return text.EndsWith('\n') ? lines[..^1] : lines;
    }

    readonly record struct Op(char Kind, string Line, int OldNo, int NewNo);

    static List<Op> Lcs(string[] a, string[] b)
    {
        var n = a.Length; var m = b.Length;
        var len = new int[n + 1, m + 1];
        for (var i = n - 1; i >= 0; i--)
            for (var j = m - 1; j >= 0; j--)
                len[i, j] = a[i] == b[j] ? len[i + 1, j + 1] + 1 : Math.Max(len[i + 1, j], len[i, j + 1]);
        var ops = new List<Op>(n + m);
        int x = 0, y = 0;
        while (x < n || y < m)
        {
            if (x < n && y < m && a[x] == b[y]) { ops.Add(new(' ', a[x], x, y)); x++; y++; }
            else if (y < m && (x == n || len[x, y + 1] >= len[x + 1, y])) { ops.Add(new('+', b[y], x, y)); y++; }
            else { ops.Add(new('-', a[x], x, y)); x++; }
        }
        return ops;
    }

    static List<Op> Replace(string[] a, string[] b)
    {
        var ops = new List<Op>(a.Length + b.Length);
        for (var i = 0; i < a.Length; i++) ops.Add(new('-', a[i], i, 0));
        for (var j = 0; j < b.Length; j++) ops.Add(new('+', b[j], a.Length, j));
        return ops;
    }

    static IEnumerable<(int Start, int End)> Hunks(List<Op> ops)
    {
        int? start = null; var end = 0;
        for (var i = 0; i < ops.Count; i++)
        {
            if (ops[i].Kind == ' ') continue;
            var s = Math.Max(0, i - Context);
            var e = Math.Min(ops.Count, i + Context + 1);
            if (start is null) { start = s; end = e; }
            else if (s <= end) end = e;
            else { yield return (start.Value, end); start = s; end = e; }
        }
        if (start is not null) yield return (start.Value, end);
    }

    static void AppendHunk(StringBuilder sb, List<Op> ops, int start, int end)
    {
        var oldCount = 0; var newCount = 0;
        for (var i = start; i < end; i++)
        {
            if (ops[i].Kind != '+') oldCount++;
            if (ops[i].Kind != '-') newCount++;
        }
        var oldStart = oldCount == 0 ? ops[start].OldNo : ops[start].OldNo + 1;
        var newStart = newCount == 0 ? ops[start].NewNo : ops[start].NewNo + 1;
        sb.Append($"@@ -{oldStart},{oldCount} +{newStart},{newCount} @@\n");
        for (var i = start; i < end; i++) sb.Append(ops[i].Kind).Append(ops[i].Line).Append('\n');
    }
}
