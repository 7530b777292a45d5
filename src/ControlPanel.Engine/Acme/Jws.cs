using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;

namespace ControlPanel.Engine.Acme;

/// <summary>Flattened JWS JSON serialization (RFC 7515 section 7.2.2), the body of every signed ACME request.</summary>
static class Jws
{
    /// <summary>Signs with the account key. Payload null = POST-as-GET (empty payload).</summary>
    public static string Sign(AccountKey key, JsonObject protectedHeader, string? payload)
    {
        var p = Base64UrlText.Encode(protectedHeader.ToJsonString());
        var body = payload is null ? "" : Base64UrlText.Encode(payload);
        var signature = key.Sign(Encoding.ASCII.GetBytes($"{p}.{body}"));
        return Serialize(p, body, signature);
    }

    /// <summary>RFC 8555 section 7.3.4: the account's public JWK, MACed with the CA-issued key (HS256).</summary>
    public static JsonObject ExternalAccountBinding(ExternalAccountBinding eab, AccountKey key, string newAccountUrl)
    {
        var p = Base64UrlText.Encode(new JsonObject { ["alg"] = "HS256", ["kid"] = eab.KeyId, ["url"] = newAccountUrl }.ToJsonString());
        var body = Base64UrlText.Encode(key.Jwk().ToJsonString());
        var mac = HMACSHA256.HashData(eab.MacKey(), Encoding.ASCII.GetBytes($"{p}.{body}"));
        return JsonNode.Parse(Serialize(p, body, mac))!.AsObject();
    }

    static string Serialize(string protectedHeader, string payload, byte[] signature) =>
        new JsonObject { ["protected"] = protectedHeader, ["payload"] = payload, ["signature"] = Base64UrlText.Encode(signature) }.ToJsonString();
}
