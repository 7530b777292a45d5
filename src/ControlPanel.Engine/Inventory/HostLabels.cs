using System.Text.RegularExpressions;
using ControlPanel.Engine.Messages;
using ControlPanel.Engine.Validation;

namespace ControlPanel.Engine.Inventory;

/// <summary>
/// Labels group inventory hosts: a plain name ("pi") or KEY=VALUE ("site=paris"). A verb given `--label` runs on
/// the hosts carrying every label it names.
/// </summary>
public static partial class HostLabels
{
    static readonly MessageTemplate BadLabel = new("input.label", "is not a valid label (NAME or KEY=VALUE; NAME and KEY: lower-case letters, digits, '-', '_', 1-32; VALUE: letters, digits, '.', '-', '_', 1-63)");
    static readonly MessageTemplate NoHostLabelled = new("input.label-no-host", "selects no host of {pool} ({labels})");
    static readonly MessageTemplate NoLabels = new("input.label-none-there", "its hosts have no labels");
    static readonly MessageTemplate LabelsThere = new("input.labels-there", "labels there: {labels}");

    public static string Require(string field, string label) =>
        LabelPattern().IsMatch(label)
            ? label
            : throw new InputException(field, label, BadLabel.Message());

    /// <summary>The hosts of <paramref name="pool"/> with every label; none is an error, never a silent run on nothing.</summary>
    /// <param name="poolName">Where the hosts come from, for the message ("the inventory", the file's path).</param>
    public static IReadOnlyList<InventoryHost> Select(IReadOnlyList<InventoryHost> pool, IReadOnlyList<string> labels, string poolName)
    {
        foreach (var label in labels) Require("label", label);
        var selected = pool.Where(h => labels.All(h.Labels.Contains)).ToList();
        if (selected.Count > 0) return selected;
        var known = pool.SelectMany(h => h.Labels).Distinct().Order(StringComparer.Ordinal).ToList();
        throw new InputException("label", string.Join(", ", labels),
            NoHostLabelled.With(("pool", poolName), ("labels", known.Count == 0 ? NoLabels.Message() : LabelsThere.With(("labels", string.Join(", ", known))))));
    }

    [GeneratedRegex("^[a-z0-9][a-z0-9_-]{0,31}(=[A-Za-z0-9][A-Za-z0-9._-]{0,62})?$")] private static partial Regex LabelPattern();
}
