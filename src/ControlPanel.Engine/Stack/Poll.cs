using ControlPanel.Engine.Stages;

namespace ControlPanel.Engine.Stack;

/// <summary>Waiting for the host to catch up (a service answering, a killed task stopping).</summary>
public static class Poll
{
    /// <summary>Polls a probe until it says yes or the wait is over (services take a moment to answer).</summary>
    public static async Task<bool> UntilAsync(StageContext context, StackServices services, TimeSpan wait, Func<Task<bool>> ready)
    {
        if (context.DryRun) return true;
        var deadline = DateTime.UtcNow + wait;
        while (true)
        {
            if (await ready()) return true;
            if (DateTime.UtcNow >= deadline) return false;
            await Task.Delay(services.PollInterval, context.Cancellation);
        }
    }
}
