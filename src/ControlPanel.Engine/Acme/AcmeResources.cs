using System.Text.Json.Nodes;

namespace ControlPanel.Engine.Acme;

/// <summary>An order (RFC 8555 section 7.1.3) as last fetched.</summary>
public sealed record AcmeOrder(string Url, string Status, IReadOnlyList<string> Authorizations, string Finalize, string? Certificate, AcmeProblem? Error)
{
    public static AcmeOrder Parse(string url, JsonNode body) => new(url,
        body["status"]?.GetValue<string>() ?? "",
        body["authorizations"] is JsonArray a ? a.Select(x => x!.GetValue<string>()).ToList() : [],
        body["finalize"]?.GetValue<string>() ?? "",
        body["certificate"]?.GetValue<string>(),
        body["error"] is JsonNode e ? AcmeProblem.Parse(e) : null);
}

/// <summary>An authorization (RFC 8555 section 7.1.4) for one identifier, with its challenges.</summary>
public sealed record AcmeAuthorization(string Url, string Status, string Identifier, IReadOnlyList<AcmeChallenge> Challenges)
{
    public static AcmeAuthorization Parse(string url, JsonNode body) => new(url,
        body["status"]?.GetValue<string>() ?? "",
        body["identifier"]?["value"]?.GetValue<string>() ?? "",
        body["challenges"] is JsonArray a ? a.Select(c => AcmeChallenge.Parse(c!)).ToList() : []);

    /// <summary>Why it is invalid: the failed challenge's problem, as the CA worded it.</summary>
    public AcmeProblem? Error => Challenges.Select(c => c.Error).FirstOrDefault(e => e is not null);
}

public sealed record AcmeChallenge(string Type, string Url, string Token, string Status, AcmeProblem? Error)
{
    public const string Http01 = "http-01";

    public static AcmeChallenge Parse(JsonNode c) => new(
        c["type"]?.GetValue<string>() ?? "",
        c["url"]?.GetValue<string>() ?? "",
        c["token"]?.GetValue<string>() ?? "",
        c["status"]?.GetValue<string>() ?? "",
        c["error"] is JsonNode e ? AcmeProblem.Parse(e) : null);
}
