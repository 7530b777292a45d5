using ControlPanel.Engine.Messages;

namespace ControlPanel.Engine.Validation;

/// <summary>
/// Validation reasons several validators give, each under one key. A reason that names another field has it as
/// {field}: the panel shows that field's label there. Reasons only one validator gives are declared beside it.
/// </summary>
public static class InputReasons
{
    public static readonly MessageTemplate Required = new("input.required", "is required");
    public static readonly MessageTemplate RequiredWith = new("input.required-with", "is required with {field}");
    public static readonly MessageTemplate OneOf = new("input.one-of", "must be one of: {choices}");
    public static readonly MessageTemplate NotHostOrIp = new("input.not-host-or-ip", "does not name a valid host name or IP address");
    public static readonly MessageTemplate PortOutside = new("input.port-outside", "has a port outside 1-65535");
    public static readonly MessageTemplate NotPortNumber = new("input.not-port-number", "must be a port number from 1 to 65535");
    public static readonly MessageTemplate DoesNotExist = new("input.does-not-exist", "does not exist");
    public static readonly MessageTemplate Empty = new("input.empty", "is empty");
    public static readonly MessageTemplate NotANumber = new("input.not-a-number", "is not a number");
    public static readonly MessageTemplate CannotCombine = new("input.cannot-combine", "cannot be combined with {option}");
    public static readonly MessageTemplate NamesNoHost = new("input.names-no-host", "names no host");
    public static readonly MessageTemplate NotABatch = new("input.not-a-batch", "is not a batch (see `controlpanel runs`)");
    public static readonly MessageTemplate NotInInventory = new("input.not-in-inventory", "is not in the inventory (see `controlpanel hosts list`)");
    public static readonly MessageTemplate NotAStage = new("input.not-a-stage", "is not a stage of run {run} (stages: {stages})");
    public static readonly MessageTemplate AtLeast = new("input.at-least", "must be at least {count} characters");
    public static readonly MessageTemplate AtMost = new("input.at-most", "must be at most {count} characters");
}
