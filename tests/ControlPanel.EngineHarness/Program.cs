using ControlPanel.Engine.Data;
using ControlPanel.Engine.Jobs;
using ControlPanel.Engine.Runs;
using ControlPanel.TestPeers;

// usage: start DATA WORK STAGES [panel] | resume DATA RUN_ID | restart-panel DATA RUN_ID | recover DATA RUN_ID
// — prints "run N" then the run's final state (recover: its state after the recovery a CLI command does first).
// "panel": the run goes to the panel's queue and this process serves it, as `controlpanel serve` does.
var data = args[1];
ControlPanelDb.Migrate(data);
var asPanel = args[0] == "restart-panel" || args.ElementAtOrDefault(4) == "panel";
await using var engines = new TestEngines();
var engine = engines.Create(new EngineOptions(data) { Holder = asPanel ? "panel" : "harness" }, MarkerPlan.Catalog(),
    jobs: asPanel ? new JobOptions { Queue = RunQueueNames.Panel } : null);
RunHandle handle;
switch (args[0])
{
    case "start":
        handle = await engine.StartAsync(MarkerPlan.Request(args[2], args[3]), "local");
        break;
    case "recover":
        await engine.RecoverInterruptedAsync();
        handle = new RunHandle(long.Parse(args[2]), () => engine.WaitForEndAsync(long.Parse(args[2])));
        break;
    case "restart-panel":
        // What the panel does when it starts again: resume what it was executing, then serve its queue.
        await engine.ResumeAfterPanelStopAsync("panel");
        ((HangfireRunQueue)engine.Queue).Start();
        handle = new RunHandle(long.Parse(args[2]), () => engine.WaitForEndAsync(long.Parse(args[2])));
        break;
    default:
        await engine.RecoverInterruptedAsync();
        handle = await engine.RerunAsync(long.Parse(args[2]), RerunMode.Resume);
        break;
}
Console.WriteLine($"run {handle.RunId}");
Console.WriteLine(await handle.Completion);
