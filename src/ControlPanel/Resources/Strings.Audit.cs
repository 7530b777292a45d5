using ControlPanel.Web.Localization;

namespace ControlPanel.Resources;

public static partial class S
{
    /// <summary>
    /// An audit action's name as shown: in English the name itself (what the filter and the CLI use), in Chinese its
    /// translation (AuditNames.* in the resource files; a test requires one for every name of Web/Audit/AuditActions.cs).
    /// </summary>
    public static string AuditActionName(string action) => PanelStrings.Named("AuditNames", action)?.ToString() ?? action;

    /// <summary>The action names that have a translation (for the test that every audit action has one).</summary>
    public static IReadOnlyCollection<string> TranslatedAuditActions => PanelStrings.NamesIn("AuditNames");
}
