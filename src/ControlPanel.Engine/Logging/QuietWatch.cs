using System.Globalization;

namespace ControlPanel.Engine.Logging;

/// <summary>
/// The sign of life of a stage that prints nothing: once it has been quiet for <see cref="After"/>, a progress line says
/// what it is waiting for (the command, download or service it is in), since when, and what is known of why (who holds
/// the apt lock); again after every further quiet stretch as long. "Stays at installing" with no way to tell why is the
/// complaint people have of other panels.
/// </summary>
public sealed class QuietWatch : IDisposable
{
    readonly StageLogWriter log;
    readonly Timer timer;
    readonly List<Waiting> waits = [];
    int ticking;

    /// <summary>
    /// What the stage is in, outermost first. A quiet line names the outermost (the purpose: "the faasd gateway to
    /// answer", not the probe that asks it) with the innermost explanation there is.
    /// </summary>
    sealed record Waiting(string What, DateTime Since, Func<Task<string?>>? Explain);

    public QuietWatch(StageLogWriter log, TimeSpan after)
    {
        this.log = log;
        After = after;
        var period = TimeSpan.FromMilliseconds(Math.Clamp(after.TotalMilliseconds / 4, 50, 1000));
        timer = new Timer(_ => _ = TickAsync(), null, period, period);
    }

    public TimeSpan After { get; }

    /// <summary>The stage is waiting for <paramref name="what"/> until the returned handle is disposed.</summary>
    /// <param name="explain">Asked when the wait has gone quiet, for what is known of why (null: nothing more to say).</param>
    public IDisposable Enter(string what, Func<Task<string?>>? explain = null)
    {
        var waiting = new Waiting(what, DateTime.UtcNow, explain);
        lock (waits) waits.Add(waiting);
        return new Leave(() => { lock (waits) waits.Remove(waiting); });
    }

    async Task TickAsync()
    {
        // An explanation may take a moment (it reads the host); one at a time.
        if (Interlocked.Exchange(ref ticking, 1) == 1) return;
        try
        {
            var now = DateTime.UtcNow;
            if (now - log.LastLineAt < After) return;
            Waiting? current;
            Func<Task<string?>>? explain;
            lock (waits) (current, explain) = (waits.FirstOrDefault(), waits.LastOrDefault(w => w.Explain is not null)?.Explain);
            var quiet = Seconds(now - log.LastLineAt);
            if (current is null)
            {
                log.Progress($"no output for {quiet} s");
                return;
            }
            var why = explain is null ? null : await ExplainAsync(explain);
            log.Progress($"no output for {quiet} s: waiting for {current.What} since {current.Since.ToLocalTime().ToString("HH:mm:ss", CultureInfo.InvariantCulture)} " +
                         $"({Seconds(now - current.Since)} s)" + (why is null ? "" : "; " + why));
        }
        catch (ObjectDisposedException) { }
        finally { Volatile.Write(ref ticking, 0); }
    }

    static async Task<string?> ExplainAsync(Func<Task<string?>> explain)
    {
        try { return await explain(); }
        // The explanation is a courtesy: a host that cannot answer it still gets the quiet line.
        catch (Exception) { return null; }
    }

    static string Seconds(TimeSpan span) => ((long)span.TotalSeconds).ToString(CultureInfo.InvariantCulture);

    public void Dispose() => timer.Dispose();

    sealed class Leave(Action leave) : IDisposable
    {
        int done;
        public void Dispose() { if (Interlocked.Exchange(ref done, 1) == 0) leave(); }
    }
}
