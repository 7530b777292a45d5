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
    public UserMessage Reason { get; } = reason;
    public UserMessage UserMessage { get; } = Describe(field, value, reason);

    static UserMessage Describe(string field, string? value, UserMessage reason) => value is null
        ? Invalid.With(("field", field), ("reason", reason))
        : InvalidValue.With(("field", field), ("value", value), ("reason", reason));
}
