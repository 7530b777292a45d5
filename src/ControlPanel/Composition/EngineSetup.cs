using ControlPanel.Engine.Data;
using ControlPanel.Engine.Hosts;
using ControlPanel.Engine.Inventory;
using ControlPanel.Engine.Jobs;
using ControlPanel.Engine.Logging;
using ControlPanel.Engine.Plans;
using ControlPanel.Engine.Runs;
using ControlPanel.Engine.Stages;

namespace ControlPanel.Composition;

/// <summary>Builds the engine over a data directory, the same way for the CLI and the panel.</summary>
public static class EngineSetup
{
    /// <param name="jobs">How this process serves the job queue (default: a queue of its own, one worker, started with its first run).</param>
    /// <param name="node">The name runs executed here record (default: the machine's).</param>
    public static RunEngine Create(string dataDirectory, string holder, IPlanFactory? plans = null, LogHub? hub = null, JobOptions? jobs = null, string? node = null)
    {
        ControlPanelDb.Migrate(dataDirectory);
        var options = new EngineOptions(dataDirectory) { Holder = holder };
        return HangfireRunQueue.CreateEngine(options with { Node = node ?? options.Node }, plans ?? StackPlans.Catalog(),
            Hosts(dataDirectory), hub ?? new LogHub(), jobs);
    }

    /// <summary>The data directory ready for use (created 0700, database migrated), for the verbs that start nothing.</summary>
    public static string Prepare(string dataDirectory)
    {
        ControlPanelDb.Migrate(dataDirectory);
        return dataDirectory;
    }

    /// <summary>How host specs become hosts here; the panel's dry runs use the same as its runs.</summary>
    public static IHostFactory Hosts(string dataDirectory)
    {
        var ssh = new SshOptions
        {
            KnownHostsFile = KnownHosts.In(dataDirectory).Path,
            IdentityFile = File.Exists(Path.Combine(dataDirectory, "ssh", "id_ed25519")) ? Path.Combine(dataDirectory, "ssh", "id_ed25519") : null,
        };
        // The container image sets this: its "local" host is the machine outside the container (see Dockerfile).
        var inContainer = Environment.GetEnvironmentVariable("CONTROLPANEL_HOST_NSENTER") == "1";
        return new HostFactory(ssh, inContainer, new InventoryStore(dataDirectory).KeyFor);
    }
}
