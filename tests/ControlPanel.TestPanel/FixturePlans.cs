using ControlPanel.Engine.Files;
using ControlPanel.Engine.Hosts;
using ControlPanel.Engine.Messages;
using ControlPanel.Engine.Nginx;
using ControlPanel.Engine.Plans;
using ControlPanel.Engine.Stack;
using ControlPanel.Engine.Stages;

namespace ControlPanel.TestPanel;

/// <summary>
/// FIXTURE, for end-to-end tests and benchmarks only (the test panel's `--fixture-plans DIR`; never in the product).
/// Replaces the install and uninstall plans with stages named like the real ones whose check and apply run
/// real, harmless commands confined to DIR, so the engine's checks, skips, retries, cancels and re-runs are
/// exercised for real without touching the machine. Behaviour is steered by files in DIR:
///   lines-STAGE  how many output lines the stage prints (default 3)
///   rate         lines per second when printing (default 2000)
///   sleep-STAGE  seconds the stage sleeps after printing (default 0)
///   fail-STAGE   while it exists, the stage fails
///   refuse-STAGE while it exists, the stage's check fails (a dry run shows the stage WOULD FAIL)
///   hold-STAGE   while it exists, the stage waits before printing (lets watchers attach first)
///   state/STAGE.done  written by the stage; its presence is the stage's "desired state" (check skips it)
///   local-only   while it exists, every host's stages run on this machine (state in DIR/state/hosts/KEY all the same):
///                hosts that cost no SSH, for the nodes benchmark's batch of hundreds
/// </summary>
public static class FixturePlans
{
    public static readonly string[] InstallStages = ["preflight", "deps", "cni-plugins", "containerd", "faasd", "certificate", "nginx"];
    public static readonly string[] UninstallStages = ["services", "containers", "network", "cni-state", "files", "leftovers"];

    /// <summary>How the catalog's name starts; the rest is its directory, so a re-run finds the same fixture state.</summary>
    public const string NamePrefix = "fixture:";

    /// <summary>The fixture plans a stored run or batch recorded (by <see cref="NamePrefix"/> and directory); null for another name.</summary>
    public static PlanCatalog? Named(string name, NginxTarget nginx) =>
        name.StartsWith(NamePrefix, StringComparison.Ordinal) ? Catalog(name[NamePrefix.Length..], nginx) : null;

    /// <summary>The panel's warning while these plans are in use.</summary>
    public static readonly MessageTemplate InUse = new("fixture.in-use", "FIXTURE PLANS are in use ({dir}): install and uninstall run harmless test stages, not the real ones.");
    static readonly MessageTemplate DryRunLeftovers = new("fixture.dry-run-leftovers", "reports what is left on the host once the stages above have run");
    static readonly MessageTemplate NothingLeft = new("fixture.nothing-left", "nothing left behind");
    static readonly MessageTemplate Left = new("fixture.left", "left on the host: {items}");
    static readonly MessageTemplate LeftKept = new("fixture.left-kept", "left on the host: {items} (kept data)");

    /// <summary>The Chinese of the messages above, added to the panel's at start (the Chinese pages test reads them).</summary>
    public static readonly IReadOnlyDictionary<string, string> Chinese = new Dictionary<string, string>
    {
        [InUse.Key] = "正在使用测试夹具计划（{dir}）：安装和卸载运行的是无害的测试步骤，而不是真实步骤。",
        [DryRunLeftovers.Key] = "上面的步骤运行后，报告主机上的残留内容",
        [NothingLeft.Key] = "没有残留",
        [Left.Key] = "主机上的残留：{items}",
        [LeftKept.Key] = "主机上的残留：{items}（保留的数据）",
    };

    public static PlanCatalog Catalog(string directory, NginxTarget? nginx = null)
    {
        var dir = Path.GetFullPath(directory);
        Directory.CreateDirectory(Path.Combine(dir, "state"));
        AtomicFile.Write(Path.Combine(dir, "fixture-stage.sh"), Script, AtomicFile.Public);
        // Certificates stay real (the tests point them at pebble), and so do the edge settings (the tests give the panel a private /etc/docker and /etc/containerd).
        return StackPlans.AddEdgeTo(CertificatePlans.AddTo(new PlanCatalog(NamePrefix + dir)), nginx)
            .Add(InstallRequest.Kind, InstallRequest.From, r => new Plan(InstallRequest.Kind,
                InstallStages.Select(name => (Stage)new InstallStage(dir, name, r)).ToList()))
            .Add(UninstallRequest.Kind, UninstallRequest.From, r => new Plan(UninstallRequest.Kind,
                UninstallStages.Select(name => (Stage)new UninstallStage(dir, name, r.KeepData)).ToList()));
    }

    /// <summary>
    /// Where a host's install markers live: DIR/state for the local host, DIR/state/hosts/KEY for each other one, so the
    /// hosts of a batch each have their own state, as real hosts do.
    /// </summary>
    static string StateDir(string dir, IHost host) => host.Key == "local"
        ? Path.Combine(dir, "state")
        : Path.Combine(dir, "state", "hosts", string.Concat(host.Key.Select(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '-' ? c : '_')));

    /// <summary>Where a stage's commands and files go: the run's host, or this machine while DIR/local-only exists (the host keeps its key).</summary>
    static StageContext On(string dir, StageContext context)
    {
        if (context.Host.Key == "local" || !File.Exists(Path.Combine(dir, "local-only"))) return context;
        IHost here = new LocalHost();
        return new StageContext(context.DryRun ? new DryRunHost(here) : here, context.Log, context.DataDirectory, context.Cancellation);
    }

    /// <summary>Prints N numbered lines at a rate, sleeps, then fails if the fail file exists. Arguments are positional, never spliced into the script.</summary>
    const string Script = """
        # FIXTURE stage of ControlPanel's tests (tests/ControlPanel.TestPanel/FixturePlans.cs): prints, sleeps, fails on request; changes nothing.
        label=$1; n=$2; rate=$3; pause=$4; fail=$5; hold=$6
        while [ -e "$hold" ]; do sleep 0.1; done
        # Paced by the clock, not by the loop: a slow, loaded machine gets bigger bursts, not a lower rate.
        start=$(date +%s%N); i=0
        while [ "$i" -lt "$n" ]; do
          due=$(( ($(date +%s%N) - start) / 1000000 * rate / 1000 + 1 ))
          [ "$due" -le "$n" ] || due=$n
          if [ "$due" -gt "$i" ]; then seq -f "$label line %.0f" $(( i + 1 )) "$due"; i=$due; fi
          if [ "$i" -lt "$n" ]; then sleep 0.02; fi
        done
        if [ "$pause" != 0 ]; then sleep "$pause"; fi
        if [ -e "$fail" ]; then echo "fixture failure requested: $fail exists" >&2; exit 1; fi
        """;

    sealed class InstallStage(string dir, string name, InstallRequest request) : Stage
    {
        public override string Name => name;
        public override string Title => "Fixture " + name;
        string StateFile(StageContext context) => Path.Combine(StateDir(dir, context.Host), name + ".done");

        public override string? SecretFile => name == "faasd" ? Path.Combine(dir, "state", "faasd-password") : null;

        public override async Task<StageCheck> CheckAsync(StageContext run)
        {
            var context = On(dir, run);
            if (await context.ReadFileAsync(Path.Combine(dir, $"refuse-{name}")) is not null)
                throw new InvalidOperationException($"fixture refusal requested: {Path.Combine(dir, $"refuse-{name}")} exists");
            return await context.ReadFileAsync(StateFile(run)) is not null
                ? StageCheck.Satisfied(CheckReasons.Exists.With(("path", StateFile(run))))
                : StageCheck.Needed(CheckReasons.Missing.With(("path", StateFile(run))));
        }

        public override async Task ApplyAsync(StageContext run)
        {
            var context = On(dir, run);
            await context.RunAsync("sh", Path.Combine(dir, "fixture-stage.sh"), $"fixture-{name}",
                await Setting(context, $"lines-{name}", "3"), await Setting(context, "rate", "2000"),
                await Setting(context, $"sleep-{name}", "0"), Path.Combine(dir, $"fail-{name}"), Path.Combine(dir, $"hold-{name}"));
            if (name == "faasd")
                await context.WriteFileAsync(new FileSpec(Path.Combine(dir, "state", "faasd-password"), request.FaasdPassword, "0600", secret: true));
            await context.WriteFileAsync(new FileSpec(StateFile(run), $"installed for {request.Domain}\n", "0644"));
        }

        async Task<string> Setting(StageContext context, string file, string fallback)
        {
            var value = (await context.ReadFileAsync(Path.Combine(dir, file)))?.Trim();
            return value is { Length: > 0 } && value.All(char.IsAsciiDigit) ? value : fallback;
        }
    }

    /// <summary>Removes what the install fixture left; "leftovers" reports what is still there (kept data included).</summary>
    sealed class UninstallStage(string dir, string name, bool keepData) : Stage
    {
        public override string Name => name;
        public override string Title => "Fixture remove " + name;

        // Which install markers each uninstall stage removes, in the real plan's order.
        string[] Removes => name switch
        {
            "services" => ["nginx.done", "faasd.done"],
            "containers" => ["containerd.done"],
            "network" => ["cni-plugins.done"],
            "cni-state" => ["deps.done"],
            "files" => keepData ? ["preflight.done", "certificate.done"] : ["preflight.done", "certificate.done", "faasd-password"],
            _ => [],
        };

        public override Task<StageCheck> CheckAsync(StageContext context)
        {
            var stateDir = StateDir(dir, context.Host);
            if (name == "leftovers")
            {
                if (context.DryRun) return Task.FromResult(StageCheck.Satisfied(DryRunLeftovers.Message()));
                var left = Directory.Exists(stateDir) ? Directory.GetFiles(stateDir).Select(Path.GetFileName).Order().ToArray() : [];
                return Task.FromResult(StageCheck.Satisfied(left.Length == 0 ? NothingLeft.Message()
                    : (keepData ? LeftKept : Left).With(("items", string.Join(", ", left)))));
            }
            var present = Removes.Where(f => File.Exists(Path.Combine(stateDir, f))).ToArray();
            return Task.FromResult(present.Length == 0
                ? StageCheck.Satisfied(CheckReasons.AlreadyRemoved.Message())
                : StageCheck.Needed(CheckReasons.ToRemove.With(("items", string.Join(", ", present)))));
        }

        public override async Task ApplyAsync(StageContext run)
        {
            var context = On(dir, run);
            foreach (var file in Removes)
                await context.DeleteFileAsync(Path.Combine(StateDir(dir, run.Host), file));
        }
    }
}
