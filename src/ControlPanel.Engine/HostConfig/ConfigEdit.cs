namespace ControlPanel.Engine.HostConfig;

public enum ConfigEditKind
{
    /// <summary>Write new content; the original is backed up first (once).</summary>
    Write,
    /// <summary>Put the original back byte for byte (content, mode, owner) and drop the backup.</summary>
    Restore,
    /// <summary>Remove the file the engine created and its marker.</summary>
    Delete,
    /// <summary>Write content that is not yet the original (other values of ours remain, or the user changed the file since); keep the backup.</summary>
    PartialReset,
}

/// <summary>One planned change to a config file.</summary>
public sealed record ConfigEdit(ConfigFile File, ConfigEditKind Kind, string? Content, Original Original);
