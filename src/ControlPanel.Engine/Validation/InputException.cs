namespace ControlPanel.Engine.Validation;

/// <summary>Bad input, caught at the edge before anything is applied. The message names the field and says why.</summary>
public sealed class InputException(string field, string? value, string reason)
    : Exception(value is null ? $"{field}: {reason}" : $"{field}: \"{value}\" {reason}")
{
    public string Field { get; } = field;
    public string Reason { get; } = reason;
}
