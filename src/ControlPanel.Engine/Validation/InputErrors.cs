namespace ControlPanel.Engine.Validation;

/// <summary>
/// Checks a request's fields one after another and keeps every error instead of stopping at the first, so a form can
/// show them all at once. Fields that depend on another are checked after it, in the parser, as before.
/// </summary>
public sealed class InputErrors
{
    readonly List<InputException> found = [];

    /// <summary>The checked value, or the default when the check failed (its error is kept).</summary>
    public T? Check<T>(Func<T> check)
    {
        try { return check(); }
        catch (InputException e)
        {
            found.Add(e);
            return default;
        }
    }

    /// <summary>Throws the first error with the others beside it; nothing when every check passed.</summary>
    public void ThrowIfAny()
    {
        if (found.Count > 0) throw found[0].Along(found.Skip(1));
    }
}
