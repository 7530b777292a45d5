using ControlPanel.Engine.Messages;
using ControlPanel.Engine.Validation;
using ControlPanel.Model;
using ControlPanel.Web;
using ControlPanel.Web.Audit;
using ControlPanel.Web.Auth;
using ControlPanel.Web.Services;
using Microsoft.AspNetCore.Components;

namespace ControlPanel.Components.Pages;

/// <summary>Settings: where the panel listens (shown), install defaults (mirror, versions profile), how long runs are kept, two-factor sign-in.</summary>
public partial class Settings
{
    const string RetentionField = "RetentionDays";

    [Inject] PanelSettings Panel { get; set; } = default!;
    [Inject] PanelDefaults Defaults { get; set; } = default!;
    [Inject] AccountService Accounts { get; set; } = default!;
    [Inject] NavigationManager Navigation { get; set; } = default!;

    string profile = "seed";
    string mirror = "";
    string retentionDays = "";
    (string? Field, UserMessage? Reason) error;
    bool saved;
    bool totpOn;
    string? newSecret;
    string? newUri;
    MarkupString? newQr;
    string? code;
    bool codeWrong;

    protected override async Task OnInitializedAsync()
    {
        var d = await Defaults.GetAsync();
        profile = d.Profile;
        mirror = d.DownloadMirror;
        retentionDays = d.RetentionDays.ToString(System.Globalization.CultureInfo.InvariantCulture);
        totpOn = (await Accounts.FindAsync(await UserNameAsync()))?.TotpSecret is not null;
    }

    async Task SaveAsync()
    {
        saved = false;
        try
        {
            await Defaults.SaveAsync(profile, mirror, retentionDays);
            error = default;
            saved = true;
            await AuditAsync(AuditActions.SettingsSave, $"profile={profile} mirror={mirror} retentionDays={retentionDays}");
        }
        catch (InputException e)
        {
            error = (e.Field switch { "profile" => nameof(InstallForm.Profile), "retentionDays" => RetentionField, _ => nameof(InstallForm.DownloadMirror) }, e.Reason);
        }
    }

    async Task BeginTotp()
    {
        newSecret = Totp.NewSecret();
        newUri = Totp.Uri("ControlPanel", await UserNameAsync(), newSecret);
        newQr = TotpQrCode.Svg(newUri);
        codeWrong = false;
    }

    async Task EnableTotpAsync()
    {
        codeWrong = !await Accounts.EnableTotpAsync(await UserAsync(), newSecret!, code);
        if (codeWrong) return;
        await AuditAsync(AuditActions.TotpEnable, null);
        SignInAgain();
    }

    /// <summary>The change ended every session of the user, this one too: sign in again the new way, then back here.</summary>
    void SignInAgain() => Navigation.NavigateTo("/login?returnUrl=%2Fsettings", forceLoad: true);

    async Task DisableTotpAsync()
    {
        await Accounts.DisableTotpAsync(await UserAsync());
        await AuditAsync(AuditActions.TotpDisable, null);
        SignInAgain();
    }
}
