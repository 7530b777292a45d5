using ControlPanel.Engine.Messages;
using ControlPanel.Engine.Stages;

namespace ControlPanel.Engine.HostOps;

/// <summary>What the stages ask the host about itself.</summary>
public static class HostFacts
{
    /// <summary>The release architecture name for the host's CPU (uname -m), or null when the stack has no build for it.</summary>
    public static async Task<(string Machine, string? Arch)> ArchAsync(StageContext context)
    {
        var machine = (await context.ProbeAsync("uname", "-m")).Stdout.Trim();
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
