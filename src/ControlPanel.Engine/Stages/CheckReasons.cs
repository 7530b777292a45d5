using ControlPanel.Engine.Messages;

namespace ControlPanel.Engine.Stages;

/// <summary>Check reasons several stages give, each under one key.</summary>
public static class CheckReasons
{
    public static readonly MessageTemplate Missing = new("check.missing", "{path} is missing");
    public static readonly MessageTemplate Exists = new("check.exists", "{path} exists");
    public static readonly MessageTemplate StillExists = new("check.still-exists", "{path} still exists");
    public static readonly MessageTemplate NotEnabled = new("check.not-enabled", "{unit} is not enabled");
    public static readonly MessageTemplate NotRunning = new("check.not-running", "{unit} is not running");
    public static readonly MessageTemplate Left = new("check.left", "left: {items}");
    public static readonly MessageTemplate ToRemove = new("check.to-remove", "to remove: {items}");
    public static readonly MessageTemplate AlreadyRemoved = new("check.already-removed", "already removed");
}
