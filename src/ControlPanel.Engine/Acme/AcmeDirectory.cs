using System.Text.Json.Nodes;

namespace ControlPanel.Engine.Acme;

/// <summary>The resource URLs a CA publishes in its directory (RFC 8555 section 7.1.1).</summary>
public sealed record AcmeDirectory(string NewNonce, string NewAccount, string NewOrder, string? TermsOfService, bool ExternalAccountRequired)
{
    /// <summary>Null when the JSON is not an ACME directory.</summary>
    public static AcmeDirectory? TryParse(JsonNode? node)
    {
        if (node is not JsonObject o) return null;
        string? S(string name) => o[name] is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;
        var newNonce = S("newNonce");
        var newAccount = S("newAccount");
        var newOrder = S("newOrder");
        if (newNonce is null || newAccount is null || newOrder is null) return null;
        var meta = o["meta"] as JsonObject;
        return new AcmeDirectory(newNonce, newAccount, newOrder,
            meta?["termsOfService"]?.GetValue<string>(),
            meta?["externalAccountRequired"] is JsonValue e && e.TryGetValue<bool>(out var b) && b);
    }
}
