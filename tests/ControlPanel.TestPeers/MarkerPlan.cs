using ControlPanel.Engine.HostOps;
using ControlPanel.Engine.Hosts;
using ControlPanel.Engine.Processes;
using ControlPanel.Engine.Plans;
using ControlPanel.Engine.Stages;

namespace ControlPanel.TestPeers;

/// <summary>
/// A test plan whose stages change real files in a directory, steered by control files there:
/// fail-NAME ("transient N" or "fatal": fail that many more times), block-NAME (wait while it exists), deaf-NAME (wait
/// while it exists, deaf to the stage's cancellation, as a call that ignores its token),
/// lines-NAME (print that many lines), secret-NAME (print the run's secret), sleep-NAME (run `sleep` that long),
/// lockwait-NAME (take the lock on the file it names with `flock`, waiting as apt waits for dpkg's). apply writes done-NAME.
/// Built from the request's inputs only, so the engine can rebuild it on resume like a real plan.
/// </summary>
public static class MarkerPlan
{
    public const string Kind = "marker";

    public static PlanCatalog Catalog() => new PlanCatalog(Kind).Add(Kind, MarkerRequest.From, r =>
        new Plan(Kind, r.Stages.Split(',').Select(n => (Stage)new MarkerStage(n, r)).ToList()));

    public static MarkerRequest Request(string dir, string stages, string? secret = null, int? timeoutMs = null) =>
        new(dir, stages, timeoutMs) { Password = secret };

    /// <summary>The plan's request: its directory, its stages, their timeout; Password is a secret (kept apart, masked).</summary>
    public sealed record MarkerRequest(string Dir, string Stages, int? TimeoutMs) : PlanRequest
    {
        public string? Password { get; init; }

        public override string PlanKind => Kind;

        public override StoredRequest Store()
        {
            var inputs = new Dictionary<string, string> { ["dir"] = Dir, ["stages"] = Stages };
            if (TimeoutMs is not null) inputs["timeoutMs"] = TimeoutMs.ToString()!;
            return new(Kind, inputs, Password is null ? new Dictionary<string, string>() : new() { ["password"] = Password });
        }

        public static MarkerRequest From(StoredRequest r) =>
            new(r.Input("dir")!, r.Input("stages")!, r.Input("timeoutMs") is { } t ? int.Parse(t) : null) { Password = r.Secret("password") };
    }

    sealed class MarkerStage(string name, MarkerRequest request) : Stage
    {
        readonly string dir = request.Dir;

        public override string Name => name;
        public override string Title => $"Marker {name}";
        public override TimeSpan Timeout => request.TimeoutMs is { } ms ? TimeSpan.FromMilliseconds(ms) : TimeSpan.FromMinutes(1);
        string Done => Path.Combine(dir, "done-" + name);
        string Control(string kind) => Path.Combine(dir, $"{kind}-{name}");

        public override async Task<StageCheck> CheckAsync(StageContext context) =>
            await context.ReadFileAsync(Done) is not null
                ? StageCheck.Satisfied(CheckReasons.Exists.With(("path", Done)))
                : StageCheck.Needed(CheckReasons.Missing.With(("path", Done)));

        public override async Task ApplyAsync(StageContext context)
        {
            File.AppendAllText(Path.Combine(dir, "applied"), name + "\n");
            while (File.Exists(Control("block"))) await Task.Delay(20, context.Cancellation);
            while (File.Exists(Control("deaf"))) await Task.Delay(20, CancellationToken.None);
            if (File.Exists(Control("sleep"))) await context.RunAsync("sleep", File.ReadAllText(Control("sleep")).Trim());
            if (File.Exists(Control("lockwait")))
            {
                var locked = File.ReadAllText(Control("lockwait")).Trim();
                await context.RunAsync(new ProcessSpec(["flock", locked, "true"]), whileQuiet: () => FileLocks.HeldByAsync(context, locked));
            }
            if (File.Exists(Control("lines")))
                await context.RunAsync("seq", "1", File.ReadAllText(Control("lines")).Trim());
            if (File.Exists(Control("secret")))
                await context.RunAsync("echo", "the password is", request.Password!);
            if (File.Exists(Control("fail")))
            {
                var spec = File.ReadAllText(Control("fail")).Trim().Split(' ');
                var left = spec.Length > 1 ? int.Parse(spec[1]) : int.MaxValue;
                if (left > 0)
                {
                    if (left != int.MaxValue) File.WriteAllText(Control("fail"), $"{spec[0]} {left - 1}");
                    if (spec[0] == "transient") throw new TransientStageException($"{name}: mirror hiccup");
                    throw new StageFailedException($"{name}: broken on purpose");
                }
            }
            await context.WriteFileAsync(new FileSpec(Done, "done\n", "0644"));
        }
    }
}
