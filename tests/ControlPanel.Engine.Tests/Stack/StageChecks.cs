using ControlPanel.Engine.Hosts;
using ControlPanel.Engine.Stack;
using ControlPanel.Engine.Stages;

namespace ControlPanel.Engine.Tests.Stack;

static class StageChecks
{
    public static StageContext Context(IHost host, ListLog? log = null) =>
        new(host, log ?? new ListLog(), GoldenPlanTests.Data, CancellationToken.None);

    public static Task<StageCheck> Check(Stage stage, IHost host, InstallRequest? request = null, ListLog? log = null) =>
        stage.CheckAsync(Context(host, log));
}
