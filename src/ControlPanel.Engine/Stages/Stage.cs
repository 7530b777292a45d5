namespace ControlPanel.Engine.Stages;

/// <summary>
/// One unit of host change, in the manner of an Ansible module: <see cref="CheckAsync"/> says whether the
/// desired state is already there (then the stage is Skipped and nothing changes), <see cref="ApplyAsync"/>
/// makes it so, <see cref="VerifyAsync"/> proves it. Apply must be safe to run again after an interruption.
/// </summary>
public abstract class Stage
{
    /// <summary>Stable machine name, used in the CLI (--stage NAME) and the database.</summary>
    public abstract string Name { get; }
    public abstract string Title { get; }

    public virtual TimeSpan Timeout => TimeSpan.FromMinutes(10);

    /// <summary>Attempts for failures marked transient (<see cref="TransientStageException"/>).</summary>
    public virtual int MaxAttempts => 3;

    public abstract Task<StageCheck> CheckAsync(StageContext context);
    public abstract Task ApplyAsync(StageContext context);

    /// <summary>By default the check must pass after apply.</summary>
    public virtual async Task VerifyAsync(StageContext context)
    {
        var check = await CheckAsync(context);
        if (!check.Done)
            throw new StageFailedException($"{Title}: still not in the desired state after apply: {check.Reason}");
    }

    public override string ToString() => Name;
}

/// <summary>The answer of a check: done, or not done and why.</summary>
public sealed record StageCheck(bool Done, string Reason)
{
    public static StageCheck Satisfied(string reason) => new(true, reason);
    public static StageCheck Needed(string reason) => new(false, reason);
}

/// <summary>A stage failure with a message meant for the user (what went wrong and how to fix it).</summary>
public class StageFailedException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>A failure worth another attempt after a pause: a mirror hiccup, a held apt lock.</summary>
public sealed class TransientStageException(string message, Exception? inner = null) : StageFailedException(message, inner);
