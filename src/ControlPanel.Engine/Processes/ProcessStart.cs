namespace ControlPanel.Engine.Processes;

/// <summary>When a process started, to tell it from a later process that reused its pid.</summary>
public static class ProcessStart
{
    /// <summary>The process's start time in clock ticks since boot (/proc/PID/stat field 22); "gone" when it has ended.</summary>
    public static string TicksOf(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            // The command name (field 2) may hold spaces and parentheses; the fields after its last ')' are plain.
            return stat[(stat.LastIndexOf(')') + 2)..].Split(' ')[19];
        }
        catch (IOException) { return "gone"; }
    }
}
