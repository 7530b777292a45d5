using ControlPanel.Engine.Accounts;
using ControlPanel.Engine.Validation;
using ControlPanel.Model;
using ControlPanel.Resources;
using ControlPanel.Web;
using ControlPanel.Web.Audit;
using ControlPanel.Web.Auth;
using ControlPanel.Web.Services;
using Microsoft.AspNetCore.Components;

namespace ControlPanel.Components.Pages;

/// <summary>Settings: where the panel listens (shown), install defaults (mirror, versions profile), how long runs are kept, the password, two-factor sign-in and its recovery codes.</summary>
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
    FieldErrors errors = FieldErrors.None;
    bool saved;
    bool totpOn;
    string? newSecret;
    string? newUri;
    MarkupString? newQr;
    string? code;
    bool codeWrong;
    /// <summary>Recovery codes to show once: beside a new secret, or just made in place of the old ones.</summary>
    IReadOnlyList<string>? recoveryCodes;
    bool codesReplaced;
    int codesLeft;
    string? currentPassword;
    string? newPassword;
    string? repeatPassword;
    FieldErrors passwordErrors = FieldErrors.None;
    string? passwordRefused;

    protected override async Task OnInitializedAsync()
    {
        var d = await Defaults.GetAsync();
        profile = d.Profile;
        mirror = d.DownloadMirror;
        retentionDays = d.RetentionDays.ToString(System.Globalization.CultureInfo.InvariantCulture);
        totpOn = (await Accounts.FindAsync(await UserNameAsync()))?.TotpSecret is not null;
        if (totpOn) codesLeft = await Accounts.RecoveryCodesLeftAsync(await UserAsync());
    }

    async Task SaveAsync()
    {
        saved = false;
        try
        {
            await Defaults.SaveAsync(profile, mirror, retentionDays);
            errors = FieldErrors.None;
            saved = true;
            await AuditAsync(AuditActions.SettingsSave, $"profile={profile} mirror={mirror} retentionDays={retentionDays}");
        }
        catch (InputException e)
        {
            errors = FieldErrors.Of(e, f => f switch { "profile" => nameof(InstallForm.Profile), "retentionDays" => RetentionField, _ => nameof(InstallForm.DownloadMirror) });
        }
    }

    async Task BeginTotp()
    {
        newSecret = Totp.NewSecret();
        newUri = Totp.Uri("ControlPanel", await UserNameAsync(), newSecret);
        newQr = TotpQrCode.Svg(newUri);
        recoveryCodes = RecoveryCodes.New();
        codeWrong = false;
    }

    async Task EnableTotpAsync()
    {
        codeWrong = !await Accounts.EnableTotpAsync(await UserAsync(), newSecret!, code, recoveryCodes!);
        if (codeWrong) return;
        await AuditAsync(AuditActions.TotpEnable, null);
        SignInAgain();
    }

    /// <summary>The change ended every session of the user, this one too: sign in again the new way, then back here.</summary>
    void SignInAgain() => Navigation.NavigateTo("/login?returnUrl=%2Fsettings", forceLoad: true);

    /// <summary>A new password ends every session of the user, this one too: sign in again with it, then back here.</summary>
    async Task ChangePasswordAsync()
    {
        passwordRefused = null;
        try
        {
            var result = await Accounts.ChangePasswordAsync(await UserAsync(), currentPassword, newPassword, repeatPassword, ClientAddress);
            passwordErrors = FieldErrors.None;
            if (result.Outcome is LoginOutcome.Ok or LoginOutcome.CodeRequired)
            {
                await AuditAsync(AuditActions.PasswordChange, null);
                SignInAgain();
                return;
            }
            await AuditAsync(AuditActions.PasswordChangeRefused, result.Outcome == LoginOutcome.Throttled ? $"wait {result.WaitSeconds} s" : null);
            passwordRefused = result.Outcome == LoginOutcome.Throttled ? S.LoginThrottled.Format(result.WaitSeconds) : S.CurrentPasswordWrong.ToString();
        }
        catch (InputException e) { passwordErrors = FieldErrors.Of(e, f => f == "confirm" ? "RepeatPassword" : "NewPassword"); }
        finally { currentPassword = null; }
    }

    async Task NewRecoveryCodesAsync()
    {
        recoveryCodes = await Accounts.NewRecoveryCodesAsync(await UserAsync());
        if (recoveryCodes is null) return;
        codesReplaced = true;
        codesLeft = recoveryCodes.Count;
        await AuditAsync(AuditActions.RecoveryCodesNew, null);
    }

    async Task DisableTotpAsync()
    {
        await Accounts.DisableTotpAsync(await UserAsync());
        await AuditAsync(AuditActions.TotpDisable, null);
        SignInAgain();
    }
}
