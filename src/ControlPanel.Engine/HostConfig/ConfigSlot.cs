using ControlPanel.Engine.HostConfig.Toml;
using ControlPanel.Engine.Messages;
using ControlPanel.Engine.Stages;

namespace ControlPanel.Engine.HostConfig;

/// <summary>
/// One value the engine owns inside a config file (daemon.json's registry-mirrors, config.toml's config_path, a
/// whole drop-in): <see cref="Read"/> gets it from the file's text (null: absent), <see cref="Write"/> puts a value
/// into a text (null text: a new file; null value: take ours out; a null result: the file should not exist).
/// Both throw <see cref="ConfigSyntaxException"/> on a file they cannot read.
/// </summary>
public sealed record ConfigSlot(string Name, Func<string?, string?> Read, Func<string?, string?, string?> Write)
{
    /// <summary>A file owned whole: its value is its text.</summary>
    public static ConfigSlot WholeFile(string name) => new(name, text => text, (_, value) => value);
}

/// <summary>
/// A config file the engine edits through slots, with the mode a new file gets. <see cref="Folders"/> (deepest
/// first) exist for this file's sake: they go again, when empty, once the file we created is removed.
/// </summary>
public sealed record ConfigFile(string Path, string Format, string Mode = "0644", bool Secret = false, string Owner = "root:root")
{
    public IReadOnlyList<string> Folders { get; init; } = [];

    /// <summary>Runs a read or write of the file's text, turning a syntax error into a failure that names the file and the position.</summary>
    public T Guard<T>(Func<T> action)
    {
        try { return action(); }
        catch (ConfigSyntaxException e)
        {
            throw new StageFailedException(Invalid.With(("path", Path), ("format", Format), ("error", e.Message)));
        }
    }

    static readonly MessageTemplate Invalid = new("config.invalid", "{path} is not valid {format} ({error}): fix or remove it first; it was not changed");
}
