using ControlPanel.Engine.Data;
using ControlPanel.Engine.Hosts;
using ControlPanel.Engine.Logging;
using ControlPanel.Engine.Runs;
using ControlPanel.TestPeers;

// usage: start DATA WORK STAGES | resume DATA RUN_ID — prints "run N" then the final state.
var data = args[1];
ControlPanelDb.Migrate(data);
var engine = new RunEngine(new EngineOptions(data) { Holder = "harness" }, MarkerPlan.Catalog(), new HostFactory(new SshOptions()), new LogHub());
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
