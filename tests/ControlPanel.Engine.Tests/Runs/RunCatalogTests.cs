using ControlPanel.Engine.Data;
using ControlPanel.Engine.Hosts;
using ControlPanel.Engine.Logging;
using ControlPanel.Engine.Plans;
using ControlPanel.Engine.Runs;
using ControlPanel.Engine.Tests.Support;
using ControlPanel.Engine.Validation;
using ControlPanel.TestPeers;
using Microsoft.EntityFrameworkCore;

namespace ControlPanel.Engine.Tests.Runs;

/// <summary>A run remembers which plans started it, and a re-run never switches to another set of plans of the same kinds.</summary>
public class RunCatalogTests : IDisposable
{
    readonly TempDir tmp = new();
    readonly string data;
    readonly string work;

    public RunCatalogTests()
    {
        data = tmp.Sub("data");
        work = tmp.Sub("work");
        Directory.CreateDirectory(work);
        ControlPanelDb.Migrate(data);
    }

    public void Dispose() => tmp.Dispose();

    RunEngine NewEngine(Stages.IPlanFactory plans) => new(new EngineOptions(data), plans, new HostFactory(new SshOptions()), new LogHub());

    /// <summary>The marker plans under another name, as a process started with other plans (the real ones, or a fixture's) has them.</summary>
    static PlanCatalog Impostor() => new PlanCatalog("fixture:/elsewhere").Add(MarkerPlan.Kind, r => MarkerPlan.Catalog().Create(r));

    [Fact]
    public async Task A_rerun_by_an_engine_with_other_plans_is_refused_and_changes_nothing_and_the_same_plans_resume_it()
    {
        File.WriteAllText(Path.Combine(work, "fail-b"), "fatal");
        var handle = await NewEngine(MarkerPlan.Catalog()).StartAsync(MarkerPlan.Request(work, "a,b"), "local");
        Assert.Equal(RunState.Failed, await handle.Completion);
        Assert.Equal(MarkerPlan.Kind, await RunEngine.CatalogOfRunAsync(data, handle.RunId));
        File.Delete(Path.Combine(work, "fail-b"));

        var refused = await Assert.ThrowsAsync<InputException>(() => NewEngine(Impostor()).RerunAsync(handle.RunId, RerunMode.Resume));
        Assert.Equal("RUN_ID", refused.Field);
        Assert.Contains("was started with the plans \"marker\", which this process does not have (it has \"fixture:/elsewhere\")", refused.Message);
        await using (var db = ControlPanelDb.Open(data))
        {
            var run = await db.Runs.Include(r => r.Stages).SingleAsync(r => r.Id == handle.RunId);
            Assert.Equal((RunState.Failed, 1), (run.State, run.Attempts));
            Assert.Equal(RunState.Failed, run.Stages.Single(s => s.Name == "b").State);
        }
        Assert.False(File.Exists(Path.Combine(work, "done-b")));

        var resumed = await NewEngine(MarkerPlan.Catalog()).RerunAsync(handle.RunId, RerunMode.Resume);
        Assert.Equal(RunState.Succeeded, await resumed.Completion);
        Assert.True(File.Exists(Path.Combine(work, "done-b")));
    }

    [Fact]
    public async Task A_run_of_an_unknown_id_has_no_catalog()
    {
        await Assert.ThrowsAsync<KeyNotFoundException>(() => RunEngine.CatalogOfRunAsync(data, 42));
    }
}
