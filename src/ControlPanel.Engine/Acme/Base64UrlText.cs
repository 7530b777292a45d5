using System.Buffers.Text;
using System.Text;

namespace ControlPanel.Engine.Acme;

/// <summary>Unpadded base64url (RFC 4648 section 5), the encoding of every binary value in JOSE and ACME.</summary>
static class Base64UrlText
{
    public static string Encode(byte[] bytes) => Base64Url.EncodeToString(bytes);
    public static string Encode(string text) => Base64Url.EncodeToString(Encoding.UTF8.GetBytes(text));
    public static byte[] Decode(string text) => Base64Url.DecodeFromChars(text);
    public static bool IsValid(string text) => text.Length > 0 && text.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_');
}
