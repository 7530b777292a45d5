using System.Text.Json;
using ControlPanel.Engine.Files;
using ControlPanel.Engine.Messages;
using ControlPanel.Engine.Validation;

namespace ControlPanel.Engine.Nginx;

/// <summary>
/// DATA/proxy/routes.json: the proxy site users edit (CLI now, the web editor later). Saved only when valid, so
/// the file always renders.
/// </summary>
public static class ProxyRoutesStore
{
    static readonly MessageTemplate NotJson = new("input.not-json", "is not valid JSON ({error})");

    static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    public static string PathIn(string dataDirectory) => Path.Combine(dataDirectory, "proxy", "routes.json");

    /// <summary>The stored settings, or null when none were saved yet.</summary>
    public static ProxySettings? Load(string dataDirectory)
    {
        var path = PathIn(dataDirectory);
        return File.Exists(path) ? Parse(File.ReadAllText(path), path) : null;
    }

    public static ProxySettings Parse(string json, string source = "routes.json")
    {
        try
        {
            return JsonSerializer.Deserialize<ProxySettings>(json, Json) ?? throw new InputException(source, null, InputReasons.Empty.Message());
        }
        catch (JsonException e)
        {
            throw new InputException(source, null, NotJson.With(("error", e.Message)));
        }
    }

    /// <summary>Validates, then writes atomically; an invalid site is never saved.</summary>
    public static ProxySite Save(string dataDirectory, ProxySettings settings)
    {
        var site = settings.Validate();
        AtomicFile.Write(PathIn(dataDirectory), Serialize(settings), AtomicFile.Public);
        return site;
    }

    public static string Serialize(ProxySettings settings) => JsonSerializer.Serialize(settings, Json) + "\n";

    /// <summary>The stored routes for this domain, or panel.sh's default site when there are none yet.</summary>
    public static ProxySettings LoadOrDefault(string dataDirectory, string domain, string panelType)
    {
        var stored = Load(dataDirectory);
        if (stored is null) return DefaultSite.For(domain, panelType);
        // The install request names the domain; the routes the user edited stay.
        stored.Domain = domain;
        return stored;
    }
}
