using ControlPanel.Engine.Cache;
using ControlPanel.Engine.Messages;
using ControlPanel.Engine.Stages;
using ControlPanel.Engine.Validation;

namespace ControlPanel.Model;

/// <summary>
/// The pull-through cache's install and uninstall forms. Validation is the engine's own (<see cref="CacheRequest.Parse"/>,
/// as `cache install`), its field names (CLI flags) mapped back to the form's; the upstream password is a secret.
/// </summary>
public sealed class CacheForm
{
    public string Upstream { get; set; } = "";
    public string Listen { get; set; } = "";
    public string Storage { get; set; } = "";
    public string UpstreamUsername { get; set; } = "";
    public string UpstreamPassword { get; set; } = "";
    public bool KeepData { get; set; }

    /// <summary>Form field for each engine field name.</summary>
    public static string FieldOf(string engineField) => engineField switch
    {
        "listen" => nameof(Listen),
        "storage" => nameof(Storage),
        "upstreamUsername" => nameof(UpstreamUsername),
        "upstreamPassword" => nameof(UpstreamPassword),
        _ => nameof(Upstream),
    };

    /// <summary>The engine's warning about the listen address as typed (every interface); none while it is not a valid one.</summary>
    public UserMessage? Exposure()
    {
        try
        {
            return new CacheRequest(CacheRequest.DefaultListen, CacheRequest.RequireListen("listen", Listen), CacheRequest.DefaultStorage)
            {
                UpstreamUsername = string.IsNullOrWhiteSpace(UpstreamUsername) ? null : UpstreamUsername.Trim(),
            }.Exposure;
        }
        catch (InputException)
        {
            return null;
        }
    }

    /// <summary>The install request, or every field that is wrong and why.</summary>
    public (PlanRequest? Request, FieldErrors Errors) ValidateInstall()
    {
        try
        {
            var password = UpstreamPassword.Length == 0 ? null : UpstreamPassword;
            return (CacheRequest.Parse(Upstream, Listen, Storage, UpstreamUsername, password), FieldErrors.None);
        }
        catch (InputException e) { return (null, FieldErrors.Of(e, FieldOf)); }
    }

    /// <summary>Uninstall reads what to remove from the host's config.yml; only "keep the cached images" is asked.</summary>
    public PlanRequest Uninstall() => CacheRequest.Parse(null, null, null) with { KeepData = KeepData, Uninstalling = true };

    /// <summary>What the preview was made for: starting needs a preview of exactly these inputs.</summary>
    public string Fingerprint(string action, string hostSpec) =>
        string.Join('\u001f', action, hostSpec, Upstream, Listen, Storage, UpstreamUsername, UpstreamPassword, KeepData);
}
