namespace ControlPanel.TestPanel;

/// <summary>The test panel's own options, taken out of the arguments the product's CLI parses.</summary>
public static class TestPanelArgs
{
    /// <summary>Removes `NAME VALUE` or `NAME=VALUE` from <paramref name="args"/> and returns VALUE (null when absent).</summary>
    public static string? Take(List<string> args, string name)
    {
        var i = args.FindIndex(a => a == name || a.StartsWith(name + "=", StringComparison.Ordinal));
        if (i < 0) return null;
        if (args[i] != name)
        {
            var inline = args[i][(name.Length + 1)..];
            args.RemoveAt(i);
            return inline;
        }
        if (i + 1 >= args.Count) throw new ArgumentException(name + " needs a value");
        var value = args[i + 1];
        args.RemoveRange(i, 2);
        return value;
    }
}
