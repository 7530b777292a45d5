using ControlPanel.Engine.Stages;

namespace ControlPanel.Engine.Stack;

/// <summary>Waiting for the host to catch up (a service answering, a killed task stopping).</summary>
public static class Poll
{
    /// <summary>Polls a probe until it says yes or the wait is over (services take a moment to answer).</summary>
    /// <param name="what">What the stage waits for, as a quiet stage's log names it ("the faasd gateway to answer").</param>
    public static async Task<bool> UntilAsync(StageContext context, StackServices services, string what, TimeSpan wait, Func<Task<bool>> ready)
    {
        if (context.DryRun) return true;
        using var waiting = context.WaitingFor(what);
        var deadline = DateTime.UtcNow + wait;
        while (true)
        {
            if (await ready()) return true;
            if (DateTime.UtcNow >= deadline) return false;
            await Task.Delay(services.PollInterval, context.Cancellation);
        }
    }
}
