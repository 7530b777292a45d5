using System.Text;
using ControlPanel.Engine.Stages;

namespace ControlPanel.Engine.Stack;

/// <summary>One rule as `iptables -S` prints it: "-A CHAIN args...", split into argv the way iptables quotes it.</summary>
public sealed record IptablesRule(string Chain, IReadOnlyList<string> Args)
{
    public string? Jump => Value("-j");
    public string? Comment => Value("--comment");

    public bool Mentions(string text) => Args.Any(a => a.Contains(text, StringComparison.Ordinal));

    string? Value(string option)
    {
        for (var i = 0; i < Args.Count - 1; i++) if (Args[i] == option) return Args[i + 1];
        return null;
    }

    /// <summary>Parses "-A CHAIN ..." lines; "-N"/"-P" lines are skipped.</summary>
    public static IReadOnlyList<IptablesRule> ParseAll(string listing)
    {
        var rules = new List<IptablesRule>();
        foreach (var line in listing.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            var words = Split(line);
            if (words.Count >= 2 && words[0] == "-A") rules.Add(new IptablesRule(words[1], words.Skip(2).ToList()));
        }
        return rules;
    }

    /// <summary>Splits like iptables' own output quoting: double quotes group, backslash escapes the next character.</summary>
    public static List<string> Split(string line)
    {
        var words = new List<string>();
        var current = new StringBuilder();
        var inQuotes = false;
        var hasWord = false;
        for (var i = 0; i < line.Length; i++)
        {
            var c = line[i];
            if (c == '\\' && i + 1 < line.Length) { current.Append(line[++i]); hasWord = true; }
            else if (c == '"') { inQuotes = !inQuotes; hasWord = true; }
            else if (c == ' ' && !inQuotes)
            {
                if (hasWord) words.Add(current.ToString());
                current.Clear();
                hasWord = false;
            }
            else { current.Append(c); hasWord = true; }
        }
        if (hasWord) words.Add(current.ToString());
        return words;
    }
}

/// <summary>iptables as the stages use it: list a table's chains and rules, delete rules and chains.</summary>
public static class IptablesChains
{
    /// <summary>All chains of a table (built-in and user) and its rules; empty when iptables is missing.</summary>
    public static async Task<(IReadOnlyList<string> Chains, IReadOnlyList<IptablesRule> Rules)> ListAsync(StageContext context, string table, string tool = "iptables")
    {
        var r = await context.ProbeAsync(tool, "-w", "-t", table, "-S");
        if (r.ExitCode != 0) return ([], []);
        var chains = r.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(IptablesRule.Split)
            .Where(w => w.Count >= 2 && (w[0] == "-N" || w[0] == "-P"))
            .Select(w => w[1]).ToList();
        return (chains, IptablesRule.ParseAll(r.Stdout));
    }

    public static Task DeleteRuleAsync(StageContext context, string table, IptablesRule rule) =>
        context.RunAsync(["iptables", "-w", "-t", table, "-D", rule.Chain, .. rule.Args]);

    public static async Task DeleteChainAsync(StageContext context, string table, string chain)
    {
        await context.RunAsync("iptables", "-w", "-t", table, "-F", chain);
        await context.RunAsync("iptables", "-w", "-t", table, "-X", chain);
    }
}
