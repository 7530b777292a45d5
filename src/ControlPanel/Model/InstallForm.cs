using ControlPanel.Engine.Hosts;
using ControlPanel.Engine.Plans;
using ControlPanel.Engine.Stack;
using ControlPanel.Engine.Stages;
using ControlPanel.Engine.Validation;

namespace ControlPanel.Model;

/// <summary>
/// The install form's values. Validation is the engine's own (InstallRequest.Parse), so the panel and the CLI
/// accept exactly the same input; its field names (CLI flags) map back to the form's fields.
/// </summary>
public sealed class InstallForm
{
    public string Domain { get; set; } = "";
    public string Email { get; set; } = "";
    public string PanelType { get; set; } = "faasd";
    public string Profile { get; set; } = "seed";
    public string DownloadMirror { get; set; } = "";
    public bool GeneratePassword { get; set; } = true;
    public string Password { get; set; } = "";
    /// <summary>Empty: this machine; otherwise the engine's host spec ssh://user@host[:port] (as the CLI's --host).</summary>
    public string Target { get; set; } = "";

    /// <summary>Made once per form, so the preview and the run use the same password; shown only after the start.</summary>
    public string GeneratedPassword { get; } = PasswordGenerator.Create();

    /// <summary>Form field for each of the request's field keys.</summary>
    public static string FieldOf(string engineField) => engineField switch
    {
        "domain" => nameof(Domain),
        "email" => nameof(Email),
        "panelType" => nameof(PanelType),
        "profile" => nameof(Profile),
        "downloadMirror" => nameof(DownloadMirror),
        _ => nameof(Password),
    };

    /// <summary>The validated request, or every field that is wrong and why.</summary>
    public (InstallRequest? Request, FieldErrors Errors) Validate()
    {
        var target = FieldErrors.None;
        try
        {
            if (Target.Trim().Length > 0) SshTarget.Parse(nameof(Target), Target.Trim());
        }
        catch (InputException e) { target = FieldErrors.Of(e); }
        try
        {
            var request = InstallRequest.Parse(Domain, Email, PanelType, Profile, DownloadMirror,
                GeneratePassword ? GeneratedPassword : Password, StackPlans.Profiles);
            return target.Any ? (null, target) : (request, FieldErrors.None);
        }
        catch (InputException e) { return (null, target.And(FieldErrors.Of(e, FieldOf))); }
    }

    /// <summary>The host the preview and the run go to (valid once <see cref="Validate"/> passed).</summary>
    public string HostSpec => Target.Trim().Length == 0 ? "local" : SshTarget.Parse(nameof(Target), Target.Trim()).ToString();

    /// <summary>What the preview was made for: starting needs a preview of exactly these inputs.</summary>
    public string Fingerprint => string.Join('\u001f', Domain, Email, PanelType, Profile, DownloadMirror, GeneratePassword, Password, Target);
}
