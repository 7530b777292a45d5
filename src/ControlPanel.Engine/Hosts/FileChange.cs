namespace ControlPanel.Engine.Hosts;

public enum FileChangeKind { Unchanged, Created, Modified, Deleted }

/// <summary>What a write or delete did (or, in a dry run, would do) to one file, with a unified diff.</summary>
public sealed record FileChange(string Path, FileChangeKind Kind, string? OldMode, string? NewMode, string Diff)
{
    public bool Changed => Kind != FileChangeKind.Unchanged;

    public string Summary => Kind switch
    {
        FileChangeKind.Unchanged => $"{Path}: unchanged",
        FileChangeKind.Created => $"{Path}: created (mode {NewMode})",
        FileChangeKind.Deleted => $"{Path}: deleted",
        _ when OldMode != NewMode && Diff.Length == 0 => $"{Path}: mode {OldMode} -> {NewMode}",
        _ => $"{Path}: modified" + (OldMode != NewMode ? $" (mode {OldMode} -> {NewMode})" : ""),
    };

    public static FileChange For(FileSpec spec, string? oldContent, FileStat? oldStat)
    {
        var newMode = spec.Mode;
        if (oldContent is null)
            return new(spec.Path, FileChangeKind.Created, null, newMode, spec.Secret ? SecretDiff : UnifiedDiff.Compute(spec.Path, "", spec.Content));
        var sameContent = oldContent == spec.Content;
        var sameMeta = oldStat is not null && oldStat.Mode == newMode && oldStat.Owner == spec.Owner;
        if (sameContent && sameMeta)
            return new(spec.Path, FileChangeKind.Unchanged, oldStat!.Mode, newMode, "");
        var diff = sameContent ? "" : spec.Secret ? SecretDiff : UnifiedDiff.Compute(spec.Path, oldContent, spec.Content);
        return new(spec.Path, FileChangeKind.Modified, oldStat?.Mode, newMode, diff);
    }

    public const string SecretDiff = "(secret content not shown)\n";
}
