using ControlPanel.Engine.Messages;

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

    /// <summary>
    /// A file on the host holding a secret this stage put there (faasd's admin password) that an administrator may
    /// read again later (the run engine reads it for the panel); null for stages that keep none.
    /// </summary>
    public virtual string? SecretFile => null;

    public abstract Task<StageCheck> CheckAsync(StageContext context);
    public abstract Task ApplyAsync(StageContext context);

    /// <summary>By default the check must pass after apply.</summary>
    public virtual async Task VerifyAsync(StageContext context)
    {
        var check = await CheckAsync(context);
        if (!check.Done)
            throw new StageFailedException(StillNotDone.With(("stage", Title), ("reason", check.Why)));
    }

    static readonly MessageTemplate StillNotDone = new("stage.still-not-done", "{stage}: still not in the desired state after apply: {reason}");

    public override string ToString() => Name;
}

/// <summary>The answer of a check: done, or not done and why (a keyed message the panel translates, or verbatim text).</summary>
public sealed record StageCheck(bool Done, UserMessage Why)
{
    /// <summary>The English reason.</summary>
    public string Reason => Why.Text;

    public static StageCheck Satisfied(string reason) => new(true, UserMessage.Verbatim(reason));
    public static StageCheck Needed(string reason) => new(false, UserMessage.Verbatim(reason));
    public static StageCheck Satisfied(UserMessage why) => new(true, why);
    public static StageCheck Needed(UserMessage why) => new(false, why);
}

/// <summary>A stage failure with a message meant for the user (what went wrong and how to fix it).</summary>
public class StageFailedException : Exception, IUserFacingException
{
    public StageFailedException(string message, Exception? inner = null) : this(UserMessage.Verbatim(message), inner) { }

    public StageFailedException(UserMessage message, Exception? inner = null) : base(message.Text, inner) => UserMessage = message;

    /// <summary>The message with its key, for the panel to translate; <see cref="Exception.Message"/> is its English text.</summary>
    public UserMessage UserMessage { get; }
}

/// <summary>A failure worth another attempt after a pause: a mirror hiccup, a held apt lock.</summary>
public sealed class TransientStageException : StageFailedException
{
    public TransientStageException(string message, Exception? inner = null) : base(message, inner) { }
    public TransientStageException(UserMessage message, Exception? inner = null) : base(message, inner) { }
}
