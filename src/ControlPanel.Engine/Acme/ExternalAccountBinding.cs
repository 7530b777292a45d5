using ControlPanel.Engine.Messages;
using ControlPanel.Engine.Validation;

namespace ControlPanel.Engine.Acme;

/// <summary>
/// The key id and HMAC key a CA such as ZeroSSL issues to tie a new ACME account to a customer account.
/// The HMAC key is a secret: this type never prints it.
/// </summary>
public sealed class ExternalAccountBinding
{
    static readonly MessageTemplate KidShape = new("input.eab-kid", "must be printable, without spaces, at most 256 characters");
    static readonly MessageTemplate HmacShape = new("input.eab-hmac", "must be the base64url HMAC key the CA gave you (at least 16 bytes)");

    readonly string hmacKey;

    ExternalAccountBinding(string keyId, string hmacKey)
    {
        KeyId = keyId;
        this.hmacKey = hmacKey;
    }

    public string KeyId { get; }

    /// <summary>Both or neither: a key id without its key (or the reverse) is an input mistake.</summary>
    public static ExternalAccountBinding? Parse(string kidField, string? keyId, string hmacField, string? hmacKey)
    {
        var kid = keyId?.Trim();
        var key = hmacKey?.Trim();
        if (string.IsNullOrEmpty(kid) && string.IsNullOrEmpty(key)) return null;
        if (string.IsNullOrEmpty(kid)) throw new InputException(kidField, null, InputReasons.RequiredWith.With(("field", hmacField)));
        if (string.IsNullOrEmpty(key)) throw new InputException(hmacField, null, InputReasons.RequiredWith.With(("field", kidField)));
        if (kid.Length > 256 || kid.Any(c => char.IsControl(c) || char.IsWhiteSpace(c)))
            throw new InputException(kidField, kid, KidShape.Message());
        // The key is never echoed back, even in an error.
        if (!Base64UrlText.IsValid(key.TrimEnd('=')) || Base64UrlText.Decode(key.TrimEnd('=')).Length < 16)
            throw new InputException(hmacField, null, HmacShape.Message());
        return new ExternalAccountBinding(kid, key.TrimEnd('='));
    }

    public byte[] MacKey() => Base64UrlText.Decode(hmacKey);

    public override string ToString() => $"EAB key id {KeyId}";
}
