using ControlPanel.Engine.Messages;
using ControlPanel.Engine.Validation;

namespace ControlPanel.Model;

/// <summary>
/// Every field of a form that is wrong, each with why: a form shows them all at once, each at its field, and a field
/// that was fixed has none the next time the form is checked.
/// </summary>
public sealed class FieldErrors
{
    public static readonly FieldErrors None = new([]);

    readonly Dictionary<string, UserMessage> reasons;

    FieldErrors(Dictionary<string, UserMessage> reasons) => this.reasons = reasons;

    /// <summary>The errors the engine's check found, each at the form field <paramref name="fieldOf"/> names for it (the first per field).</summary>
    public static FieldErrors Of(InputException e, Func<string, string>? fieldOf = null)
    {
        var reasons = new Dictionary<string, UserMessage>();
        foreach (var error in e.All) reasons.TryAdd(fieldOf is null ? error.Field : fieldOf(error.Field), error.Reason);
        return new FieldErrors(reasons);
    }

    public static FieldErrors One(string field, UserMessage reason) => new(new() { [field] = reason });

    /// <summary>These errors and those of another check of the same form (a field keeps its first).</summary>
    public FieldErrors And(FieldErrors more)
    {
        var all = new Dictionary<string, UserMessage>(reasons);
        foreach (var (field, reason) in more.reasons) all.TryAdd(field, reason);
        return new FieldErrors(all);
    }

    /// <summary>The errors of these fields only (those the user has typed in so far).</summary>
    public FieldErrors Only(IReadOnlySet<string> fields) =>
        new(reasons.Where(r => fields.Contains(r.Key)).ToDictionary(r => r.Key, r => r.Value));

    public bool Any => reasons.Count > 0;

    public UserMessage? For(string field) => reasons.GetValueOrDefault(field);
}
