namespace ControlPanel.Engine.Tests.Stack;

/// <summary>Waits for a condition a background process brings about (a listener up, a working directory entered).</summary>
public static class Eventually
{
    /// <param name="explain">What is still missing, for the failure message.</param>
    public static async Task TrueAsync(Func<Task<bool>> condition, int seconds = 20, Func<string>? explain = null)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline) Assert.Fail($"condition not met within {seconds} s" + (explain is null ? "" : ": " + explain()));
            await Task.Delay(100);
        }
    }
}
