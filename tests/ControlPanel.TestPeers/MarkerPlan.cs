using ControlPanel.Engine.Hosts;
using ControlPanel.Engine.Plans;
using ControlPanel.Engine.Stages;

namespace ControlPanel.TestPeers;

/// <summary>
/// A test plan whose stages change real files in a directory, steered by control files there:
/// fail-NAME ("transient N" or "fatal": fail that many more times), block-NAME (wait while it exists),
/// lines-NAME (print that many lines), secret-NAME (print the run's secret). apply writes done-NAME.
/// Built from the request's inputs only, so the engine can rebuild it on resume like a real plan.
/// </summary>
public static class MarkerPlan
{
    public const string Kind = "marker";

    public static PlanCatalog Catalog() => new PlanCatalog(Kind).Add(Kind, r =>
        new Plan(Kind, r.Input("stages")!.Split(',').Select(n => (Stage)new MarkerStage(n, r.Input("dir")!, r.Input("timeoutMs"))).ToList()));

    public static PlanRequest Request(string dir, string stages, string? secret = null, int? timeoutMs = null)
    {
        var inputs = new Dictionary<string, string> { ["dir"] = dir, ["stages"] = stages };
        if (timeoutMs is not null) inputs["timeoutMs"] = timeoutMs.ToString()!;
        return new PlanRequest(Kind, inputs, secret is null ? new Dictionary<string, string>() : new() { ["password"] = secret });
    }

    sealed class MarkerStage(string name, string dir, string? timeoutMs) : Stage
    {
        public override string Name => name;
        public override string Title => $"Marker {name}";
        public override TimeSpan Timeout => timeoutMs is null ? TimeSpan.FromMinutes(1) : TimeSpan.FromMilliseconds(int.Parse(timeoutMs));
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
            if (File.Exists(Control("sleep"))) await context.RunAsync("sleep", File.ReadAllText(Control("sleep")).Trim());
            if (File.Exists(Control("lines")))
                await context.RunAsync("seq", "1", File.ReadAllText(Control("lines")).Trim());
            if (File.Exists(Control("secret")))
                await context.RunAsync("echo", "the password is", context.Request.Secret("password")!);
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
