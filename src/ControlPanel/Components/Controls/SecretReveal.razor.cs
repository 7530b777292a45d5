using ControlPanel.Engine.Processes;
using ControlPanel.Engine.Runs;
using ControlPanel.Engine.Validation;
using ControlPanel.Resources;
using ControlPanel.Web.Audit;
using ControlPanel.Web.Auth;
using Microsoft.AspNetCore.Components;

namespace ControlPanel.Components.Controls;

/// <summary>
/// Shows faasd's admin password of a run's host again. The panel password is asked first (a walked-away session is
/// not enough) and counts against the sign-in throttle like a sign-in; every reveal and every refusal is audited,
/// never the secret itself.
/// </summary>
public partial class SecretReveal
{
    [Parameter, EditorRequired] public long RunId { get; set; }

    [Inject] RunEngine Engine { get; set; } = default!;
    [Inject] AccountService Accounts { get; set; } = default!;

    bool asking;
    bool busy;
    string password = "";
    string? revealed;
    string? message;

    void Cancel() => (asking, password, message) = (false, "", null);

    async Task RevealAsync()
    {
        busy = true;
        message = null;
        try
        {
            var user = await UserNameAsync();
            // The password alone: a second factor was given at sign-in; CodeRequired means the password was right.
            var check = await Accounts.VerifyAsync(user, password, null, ClientAddress);
            password = "";
            if (check.Outcome is not (LoginOutcome.Ok or LoginOutcome.CodeRequired))
            {
                message = check.Outcome == LoginOutcome.Throttled ? S.LoginThrottled.Format(check.WaitSeconds) : S.RevealWrongPassword.ToString();
                await AuditAsync(AuditActions.SecretRevealRefused, $"run {RunId}: faasd password");
                return;
            }
            revealed = await Engine.ReadHostSecretAsync(RunId);
            if (revealed is null) { message = S.RevealGone.ToString(); return; }
            asking = false;
            await AuditAsync(AuditActions.SecretReveal, $"run {RunId}: faasd password");
        }
        catch (Exception e) when (e is KeyNotFoundException or InputException or CommandFailedException)
        {
            message = e.Message;
        }
        finally { busy = false; }
    }
}
