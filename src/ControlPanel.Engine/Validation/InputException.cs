using ControlPanel.Engine.Messages;

namespace ControlPanel.Engine.Validation;

/// <summary>
/// Bad input, caught at the edge before anything is applied. The message names the field and says why; the reason
/// has a key (see <see cref="InputReasons"/>) so the panel shows it in its language next to the field.
/// </summary>
public sealed class InputException(string field, string? value, UserMessage reason)
    : Exception(Describe(field, value, reason).Text), IUserFacingException
{
    static readonly MessageTemplate Invalid = new("input.invalid", "{field}: {reason}");
    static readonly MessageTemplate InvalidValue = new("input.invalid-value", "{field}: \"{value}\" {reason}");

    public string Field { get; } = field;
    public string? Value { get; } = value;
    public UserMessage Reason { get; } = reason;
    public UserMessage UserMessage { get; } = Describe(field, value, reason);

    /// <summary>
    /// Every error the same check found, this one first: a form shows them all at once, each at its field; the CLI,
    /// which prints one line, names the first.
    /// </summary>
    public IReadOnlyList<InputException> All => [this, .. others];
    IReadOnlyList<InputException> others = [];

    /// <summary>This error with the others found beside it (<see cref="InputErrors"/>).</summary>
    internal InputException Along(IEnumerable<InputException> more)
    {
        others = more.ToList();
        return this;
    }

    /// <summary>
    /// The same error in a face's words: the field, and any field the reason names ("required with {field}"), renamed
    /// (the CLI's "--domain" for the key "domain").
    /// </summary>
    public InputException Rename(Func<string, string> name) =>
        new InputException(name(Field), Value, Named(Reason, name)).Along(others.Select(o => o.Rename(name)));

    static UserMessage Named(UserMessage m, Func<string, string> name) => m with
    {
        Args = m.Args.ToDictionary(a => a.Key, a => a.Key is "field" or "option" && !a.Value.HasKey ? UserMessage.Verbatim(name(a.Value.Text)) : Named(a.Value, name)),
        Details = m.Details.Select(d => Named(d, name)).ToList(),
    };

    static UserMessage Describe(string field, string? value, UserMessage reason) => value is null
        ? Invalid.With(("field", field), ("reason", reason))
        : InvalidValue.With(("field", field), ("value", Printable.Escape(value)), ("reason", reason));
}
