using System.Security.Cryptography;
using System.Text;
using ControlPanel.Engine.Files;

namespace ControlPanel.Web.Auth;

/// <summary>
/// The one-time token of the first start: there is no default password. While no user exists, each start
/// makes a fresh random token, prints the setup URL to the console (the journal under systemd) and writes
/// it to DATA/setup-token (0600). Setting the admin password consumes it.
/// </summary>
public sealed class SetupToken(PanelSettings settings)
{
    readonly object gate = new();
    string? token;

    public string FilePath => Path.Combine(settings.DataDirectory, "setup-token");

    public bool IsPending { get { lock (gate) return token is not null; } }

    public string Create()
    {
        lock (gate)
        {
            token = Base64Url(RandomNumberGenerator.GetBytes(32));
            AtomicFile.Write(FilePath, token + "\n", AtomicFile.Private);
            return token;
        }
    }

    public bool Matches(string? candidate)
    {
        lock (gate)
            return token is not null && candidate is not null &&
                   CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(token), Encoding.UTF8.GetBytes(candidate));
    }

    /// <summary>Consumes the token if it matches; only one caller can ever succeed.</summary>
    public bool TryConsume(string? candidate)
    {
        lock (gate)
        {
            if (!Matches(candidate)) return false;
            token = null;
            File.Delete(FilePath);
            return true;
        }
    }

    static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
