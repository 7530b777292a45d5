namespace ControlPanel.Engine.Processes;

/// <summary>POSIX shell quoting of an argv, for display and for the one place a shell must parse it (ssh's remote command line).</summary>
public static class ArgvFormat
{
    public static string Quote(string arg)
    {
        if (arg.Length > 0 && arg.All(c => char.IsAsciiLetterOrDigit(c) || "-_./=:,+@%".Contains(c)))
            return arg;
        return "'" + arg.Replace("'", "'\\''") + "'";
    }

    public static string Display(IEnumerable<string> argv) => string.Join(' ', argv.Select(Quote));
}
