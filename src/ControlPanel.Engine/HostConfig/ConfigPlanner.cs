namespace ControlPanel.Engine.HostConfig;

/// <summary>Works out the edit that sets or resets slots of a file, from its current text and its original.</summary>
public static class ConfigPlanner
{
    /// <summary>The edit that gives each slot its value (null: absent), or null when the file already says so.</summary>
    public static ConfigEdit? Set(ConfigFile file, string? current, Original original, IReadOnlyList<(ConfigSlot Slot, string? Value)> values)
    {
        var updated = file.Guard(() => values.Aggregate(current, (text, v) => v.Slot.Write(text, v.Value)));
        if (updated == current) return null;
        return updated is null
            ? new ConfigEdit(file, ConfigEditKind.Delete, null, original)
            : new ConfigEdit(file, ConfigEditKind.Write, updated, original);
    }

    /// <summary>
    /// The edit that puts the slots back as they were originally. When nothing else in the file changed since, the
    /// original comes back byte for byte (or the file we created goes); otherwise only the slots are put back and
    /// the user's later changes stay. Null when there is nothing to undo.
    /// </summary>
    public static ConfigEdit? Reset(ConfigFile file, string? current, Original original, IReadOnlyList<ConfigSlot> slots)
    {
        switch (original)
        {
            case Original.Existed existed:
            {
                if (current is null || current == existed.Content) return new ConfigEdit(file, ConfigEditKind.Restore, existed.Content, original);
                var ours = file.Guard(() => slots.Select(s => s.Read(current)).ToList());
                var replayed = file.Guard(() => slots.Zip(ours).Aggregate((string?)existed.Content, (text, x) => x.First.Write(text, x.Second)));
                var putBack = file.Guard(() => slots.Aggregate((string?)current, (text, s) => s.Write(text, s.Read(existed.Content))));
                if (replayed == current || putBack == existed.Content) return new ConfigEdit(file, ConfigEditKind.Restore, existed.Content, original);
                return putBack == current ? null : new ConfigEdit(file, ConfigEditKind.PartialReset, putBack, original);
            }
            case Original.Created:
            {
                if (current is null) return new ConfigEdit(file, ConfigEditKind.Delete, null, original);
                var ours = file.Guard(() => slots.Select(s => s.Read(current)).ToList());
                var replayed = file.Guard(() => slots.Zip(ours).Aggregate((string?)null, (text, x) => x.First.Write(text, x.Second)));
                if (replayed == current) return new ConfigEdit(file, ConfigEditKind.Delete, null, original);
                var removed = file.Guard(() => slots.Aggregate((string?)current, (text, s) => s.Write(text, null)));
                return removed == current ? null : new ConfigEdit(file, removed is null ? ConfigEditKind.Delete : ConfigEditKind.PartialReset, removed, original);
            }
            default:
                return null;
        }
    }
}
