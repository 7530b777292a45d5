using System.Runtime.CompilerServices;
using ControlPanel.Engine.Hosts;
using ControlPanel.Engine.Messages;
using ControlPanel.Engine.Processes;
using ControlPanel.Engine.Stages;

namespace ControlPanel.Engine.HostOps;

/// <summary>What the stages ask the host about itself.</summary>
public static class HostFacts
{
    /// <summary>
    /// `uname -m` asked once per host object: its CPU does not change while we talk to it, and the preflight and each
    /// component stage's check and apply ask (over SSH each ask is a round trip).
    /// </summary>
    static readonly ConditionalWeakTable<IHost, Task<ProcessResult>> Machines = new();

    /// <summary>The release architecture name for the host's CPU (uname -m), or null when the stack has no build for it.</summary>
    public static async Task<(string Machine, string? Arch)> ArchAsync(StageContext context)
    {
        var asked = Machines.GetValue(context.Host, _ => context.ProbeAsync("uname", "-m"));
        ProcessResult answer;
        try { answer = await asked; }
        catch
        {
            // A failed or cancelled ask is not an answer: the next one asks again.
            Machines.Remove(context.Host);
            throw;
        }
        var machine = answer.Stdout.Trim();
        return (machine, machine switch
        {
            "x86_64" or "amd64" => "amd64",
            "aarch64" or "arm64" => "arm64",
            _ => null,
        });
    }

    public static async Task<string> RequireArchAsync(StageContext context)
    {
        var (machine, arch) = await ArchAsync(context);
        return arch ?? throw new StageFailedException(NoBuild.With(("machine", machine)));
    }

    /// <summary>Parses /etc/os-release (KEY=value, values optionally quoted).</summary>
    public static Dictionary<string, string> ParseOsRelease(string text)
    {
        var values = new Dictionary<string, string>();
        foreach (var raw in text.Split('\n'))
        {
            var line = raw.Trim();
            var eq = line.IndexOf('=');
            if (eq <= 0 || line.StartsWith('#')) continue;
            values[line[..eq]] = line[(eq + 1)..].Trim('"', '\'');
        }
        return values;
    }

    public static async Task<bool> ExistsAsync(StageContext context, string path) =>
        await context.Host.StatAsync(path, context.Cancellation) is not null;

    static readonly MessageTemplate NoBuild = new("host.arch-no-build", "the host's CPU architecture \"{machine}\" has no faasd stack build (amd64 and arm64 only)");
}
