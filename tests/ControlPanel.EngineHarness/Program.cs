using ControlPanel.Engine.Data;
using ControlPanel.Engine.Runs;
using ControlPanel.TestPeers;

// usage: start DATA WORK STAGES | resume DATA RUN_ID — prints "run N" then the final state.
var data = args[1];
ControlPanelDb.Migrate(data);
await using var engines = new TestEngines();
var engine = engines.Create(new EngineOptions(data) { Holder = "harness" }, MarkerPlan.Catalog());
RunHandle handle;
if (args[0] == "start")
{
    handle = await engine.StartAsync(MarkerPlan.Request(args[2], args[3]), "local");
}
else
{
    await engine.RecoverInterruptedAsync();
    handle = await engine.RerunAsync(long.Parse(args[2]), RerunMode.Resume);
}
Console.WriteLine($"run {handle.RunId}");
Console.WriteLine(await handle.Completion);
