using ControlPanel.Engine.Hosts;
using ControlPanel.Engine.Plans;
using ControlPanel.Engine.Processes;
using ControlPanel.Engine.Stages;

namespace ControlPanel.Engine.Tests.Inventory;

/// <summary>
/// FIXTURE plan for fleet tests: every stage works through the run's host (commands and files, so over SSH too),
/// in DIR/HOSTKEY/ — a directory per host, so one request drives many hosts. Each stage records when it ran
/// (start-NAME, end-NAME in ns), waits until `together` hosts have started it (proof they ran at the same time,
/// without relying on timing), holds for holdMs, and fails while DIR/HOSTKEY/fail-NAME exists.
/// </summary>
public static class HostMarkerPlan
{
    public const string Kind = "host-marker";

    const string Script = """
        set -eu
        mkdir -p "$1"
        date +%s%N > "$1/start-$2"
        i=0
        while [ "$(find "$5" -mindepth 2 -maxdepth 2 -name "start-$2" | wc -l)" -lt "$4" ]; do
          i=$((i + 1)); [ "$i" -lt 1200 ] || { echo "$2: fewer than $4 hosts ran it at the same time" >&2; exit 1; }
          sleep 0.05
        done
        sleep "$3"
        date +%s%N > "$1/end-$2"
        if [ -e "$1/fail-$2" ]; then echo "$2 failing on purpose" >&2; exit 1; fi
        """;

    public static PlanCatalog Catalog() => new PlanCatalog(Kind).Add(Kind, HostMarkerRequest.From, r =>
        new Plan(Kind, r.Stages.Split(',').Select(n => (Stage)new HostStage(n, r.Dir, r.HoldMs, r.Together)).ToList()));

    public static HostMarkerRequest Request(string dir, string stages, int holdMs = 0, int together = 0) => new(dir, stages, holdMs, together);

    /// <summary>The plan's request; Token is a secret (kept apart, masked), to see one reach a batch's late host.</summary>
    public sealed record HostMarkerRequest(string Dir, string Stages, int HoldMs, int Together) : PlanRequest
    {
        public string? Token { get; init; }

        public override string PlanKind => Kind;

        public override StoredRequest Store() => new(Kind,
            new Dictionary<string, string> { ["dir"] = Dir, ["stages"] = Stages, ["holdMs"] = HoldMs.ToString(), ["together"] = Together.ToString() },
            Token is null ? new Dictionary<string, string>() : new Dictionary<string, string> { ["token"] = Token });

        public static HostMarkerRequest From(StoredRequest r) =>
            new(r.Input("dir")!, r.Input("stages")!, int.Parse(r.Input("holdMs")!), int.Parse(r.Input("together")!)) { Token = r.Secret("token") };
    }

    public static string HostDir(string dir, string hostKey) =>
        Path.Combine(dir, string.Concat(hostKey.Select(c => char.IsAsciiLetterOrDigit(c) ? c : '_')));

    /// <summary>The [start, end] of every stage that ran, on every host under DIR.</summary>
    public static IReadOnlyList<(long Start, long End)> Intervals(string dir) =>
        Directory.GetDirectories(dir).SelectMany(d => Directory.GetFiles(d, "start-*").Select(s => (
            long.Parse(File.ReadAllText(s)), long.Parse(File.ReadAllText(Path.Combine(d, "end-" + Path.GetFileName(s)[6..])))))).ToList();

    /// <summary>The most stages that were running at the same moment.</summary>
    public static int MaxOverlap(string dir)
    {
        var edges = Intervals(dir).SelectMany(i => new[] { (i.Start, 1), (i.End, -1) }).OrderBy(e => e.Item1).ThenBy(e => e.Item2);
        int now = 0, max = 0;
        foreach (var (_, delta) in edges) max = Math.Max(max, now += delta);
        return max;
    }

    sealed class HostStage(string name, string dir, int holdMs, int together) : Stage
    {
        public override string Name => name;
        public override string Title => $"Host marker {name}";

        public override async Task<StageCheck> CheckAsync(StageContext context) =>
            await context.ReadFileAsync(Done(context)) is not null ? StageCheck.Satisfied("done") : StageCheck.Needed("not done");

        public override async Task ApplyAsync(StageContext context)
        {
            await context.RunAsync("sh", "-c", Script, "host-marker", HostDir(dir, context.Host.Key), name,
                (holdMs / 1000.0).ToString("0.000", System.Globalization.CultureInfo.InvariantCulture), together.ToString(), dir);
            await context.WriteFileAsync(new FileSpec(Done(context), $"done on {context.Host.Key}\n", "0644"));
        }

        string Done(StageContext context) => Path.Combine(HostDir(dir, context.Host.Key), "done-" + name);
    }
}

/// <summary>FIXTURE host: this machine under another identity, so several "hosts" (with their own locks) can run side by side.</summary>
public sealed class NamedLocalHost(string key) : CommandHost(ProcessRunner.Default)
{
    public override string Key => key;
    protected override ProcessSpec Translate(ProcessSpec command) => command;
}

public sealed class NamedLocalHosts : IHostFactory
{
    public IHost Create(string hostSpec) => new NamedLocalHost(hostSpec);
}
