using System.Text.Json.Nodes;

namespace ControlPanel.Engine.Acme;

/// <summary>An RFC 7807 problem document as an ACME CA sends it (RFC 8555 section 6.7), subproblems included.</summary>
public sealed record AcmeProblem(string Type, string? Detail, int? Status, string? Identifier, IReadOnlyList<AcmeProblem> Subproblems)
{
    public const string BadNonce = "urn:ietf:params:acme:error:badNonce";
    public const string AccountDoesNotExist = "urn:ietf:params:acme:error:accountDoesNotExist";
    public const string ExternalAccountRequired = "urn:ietf:params:acme:error:externalAccountRequired";

    public static AcmeProblem Parse(JsonNode? node)
    {
        var subs = node?["subproblems"] is JsonArray a ? a.Select(Parse).ToList() : [];
        var id = node?["identifier"]?["value"]?.GetValue<string>();
        return new AcmeProblem(
            node?["type"]?.GetValue<string>() ?? "about:blank",
            node?["detail"]?.GetValue<string>(),
            node?["status"] is JsonValue s && s.TryGetValue<int>(out var status) ? status : null,
            id, subs);
    }

    /// <summary>The CA's words, verbatim: "type: detail", then each subproblem with the name it is about.</summary>
    public override string ToString()
    {
        var text = Detail is null ? Type : $"{Type}: {Detail}";
        if (Identifier is not null) text = $"{Identifier}: {text}";
        return Subproblems.Count == 0 ? text : text + " [" + string.Join("; ", Subproblems) + "]";
    }
}

/// <summary>Anything that stops an ACME exchange, worded for the user (names the URL or the domain involved).</summary>
public class AcmeException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>The CA said no: its problem document is in the message verbatim, with where it was said.</summary>
public sealed class AcmeProblemException(AcmeProblem problem, string context)
    : AcmeException($"{problem} ({context}){Hint(problem)}")
{
    public AcmeProblem Problem { get; } = problem;

    static string Hint(AcmeProblem p) => p.Type == AcmeProblem.ExternalAccountRequired
        ? "; this CA needs External Account Binding: give the EAB key id and HMAC key the CA issued for your account"
        : "";
}
