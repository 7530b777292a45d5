using System.Collections.Concurrent;
using System.Text;
using System.Text.RegularExpressions;

namespace ControlPanel.Engine.Nginx;

/// <summary>
/// The templates of the top-level nginx/ folder, embedded in this assembly. A placeholder is {{name}}. One that
/// stands alone on its line takes a block: each of its lines gets the placeholder's indentation, and an empty block
/// removes the line. Every placeholder must get a value and every value must be used, so a template and its
/// renderer cannot drift apart silently.
/// </summary>
static partial class NginxTemplates
{
    static readonly ConcurrentDictionary<string, string> Cache = new();

    public static string Load(string name) => Cache.GetOrAdd(name, n =>
    {
        using var stream = typeof(NginxTemplates).Assembly.GetManifestResourceStream("ControlPanel.Engine.nginx." + n)
            ?? throw new InvalidOperationException($"nginx template {n} is not embedded in the engine");
        using var reader = new StreamReader(stream, Encoding.UTF8);
        return reader.ReadToEnd();
    });

    public static string Render(string name, IReadOnlyDictionary<string, string> values)
    {
        var used = new HashSet<string>();
        string Value(string key)
        {
            if (!values.TryGetValue(key, out var v)) throw new InvalidOperationException($"nginx template {name}: no value for {{{{{key}}}}}");
            used.Add(key);
            return v;
        }

        var output = new StringBuilder();
        var lines = Load(name).Split('\n');
        // The file's final newline is not a line of its own.
        var count = lines[^1].Length == 0 ? lines.Length - 1 : lines.Length;
        foreach (var line in lines.Take(count))
        {
            var block = BlockLine().Match(line);
            if (block.Success)
            {
                var text = Value(block.Groups[2].Value);
                if (text.Length == 0) continue;
                foreach (var blockLine in text.TrimEnd('\n').Split('\n'))
                    output.Append(blockLine.Length == 0 ? "" : block.Groups[1].Value + blockLine).Append('\n');
                continue;
            }
            output.Append(Placeholder().Replace(line, m =>
            {
                var v = Value(m.Groups[1].Value);
                return v.Contains('\n') ? throw new InvalidOperationException($"nginx template {name}: {{{{{m.Groups[1].Value}}}}} must be one line") : v;
            })).Append('\n');
        }
        var unused = values.Keys.Where(k => !used.Contains(k)).ToList();
        if (unused.Count > 0) throw new InvalidOperationException($"nginx template {name} has no placeholder for: {string.Join(", ", unused)}");
        return output.ToString();
    }

    [GeneratedRegex(@"^(\s*)\{\{([a-z_]+)\}\}\s*$")] private static partial Regex BlockLine();
    [GeneratedRegex(@"\{\{([a-z_]+)\}\}")] private static partial Regex Placeholder();
}
