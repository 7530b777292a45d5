using System.Text.Json;
using System.Text.Json.Nodes;
using ControlPanel.Engine.Files;

namespace ControlPanel.Engine.Acme;

/// <summary>
/// Keeps one ACME account per CA under DATA/acme/accounts/HOST/account.json (0600 in a 0700 directory):
/// the P-256 key, created once, and the account URL the CA gave it.
/// </summary>
public sealed class AccountStore(string dataDirectory)
{
    public string FileFor(Uri directory)
    {
        // The CA's authority as a plain directory name: "acme-v02.api.letsencrypt.org", "127.0.0.1_14000".
        var name = new string(directory.Authority.Select(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '-' ? c : '_').ToArray());
        return Path.Combine(dataDirectory, "acme", "accounts", name, "account.json");
    }

    /// <summary>The account URL the CA gave us, or null when no account exists there yet (nothing is created).</summary>
    public string? FindAccountUrl(Uri directory)
    {
        var file = FileFor(directory);
        return File.Exists(file) ? JsonNode.Parse(File.ReadAllText(file))!["accountUrl"]?.GetValue<string>() : null;
    }

    public (AccountKey Key, string? AccountUrl) LoadOrCreate(Uri directory)
    {
        var file = FileFor(directory);
        if (File.Exists(file))
        {
            var json = JsonNode.Parse(File.ReadAllText(file))!;
            return (AccountKey.FromPkcs8(Convert.FromBase64String(json["privateKeyPkcs8"]!.GetValue<string>())), json["accountUrl"]?.GetValue<string>());
        }
        var key = AccountKey.Create();
        Save(directory, key, null);
        return (key, null);
    }

    public void Save(Uri directory, AccountKey key, string? accountUrl)
    {
        var file = FileFor(directory);
        AtomicFile.EnsureDirectory(Path.GetDirectoryName(Path.GetDirectoryName(file))!, AtomicFile.PrivateDirectory);
        AtomicFile.EnsureDirectory(Path.GetDirectoryName(file)!, AtomicFile.PrivateDirectory);
        var json = new JsonObject
        {
            ["directory"] = directory.ToString(),
            ["accountUrl"] = accountUrl,
            ["privateKeyPkcs8"] = Convert.ToBase64String(key.ExportPkcs8()),
        };
        AtomicFile.Write(file, json.ToJsonString(new JsonSerializerOptions { WriteIndented = true }), AtomicFile.Private);
    }
}
