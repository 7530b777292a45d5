using ControlPanel.Resources;
using ControlPanel.Web.Audit;
using ControlPanel.Web.Auth;
using ControlPanel.Web.Localization;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Components;
using ControlPanel.Engine.Audit;

namespace ControlPanel.Components.Account;

/// <summary>Sign-in: a server-rendered form (antiforgery-checked) that sets the auth cookie. Wrong tries make the next ones wait (SignInThrottle).</summary>
public partial class Login
{
    [CascadingParameter] HttpContext HttpContext { get; set; } = default!;
    [SupplyParameterFromForm] LoginInput Input { get; set; } = new();
    [SupplyParameterFromQuery] string? ReturnUrl { get; set; }
    [Inject] AccountService Accounts { get; set; } = default!;
    [Inject] AuditStore Audit { get; set; } = default!;
    [Inject] NavigationManager Navigation { get; set; } = default!;

    string? error;
    bool askCode;
    bool notSetUp;

    protected override async Task OnInitializedAsync()
    {
        notSetUp = !await Accounts.HasUsersAsync();
    }

    async Task SubmitAsync()
    {
        var ip = HttpContext.Connection.RemoteIpAddress?.ToString();
        var name = Input.UserName?.Trim() ?? "";
        var result = await Accounts.VerifyAsync(name, Input.Password, Input.Code, ip);
        // The password is never sent back in the page; a second step asks for it again with the code.
        Input.Password = null;
        switch (result.Outcome)
        {
            case LoginOutcome.Ok:
                await HttpContext.SignInAsync(CookieAuthenticationDefaults.AuthenticationScheme, await Accounts.StartSessionAsync(result.User!, HttpContext));
                await Audit.WriteAsync(result.User!.UserName, AuditActions.LoginOk,
                    result.RecoveryCodesLeft is { } left ? $"with a recovery code, {left} left" : null, ip);
                Navigation.NavigateTo(CultureEndpoint.IsLocal(ReturnUrl) ? ReturnUrl! : "/");
                return;
            case LoginOutcome.CodeRequired:
                askCode = true;
                error = S.LoginCodeRequired.ToString();
                return;
            case LoginOutcome.Throttled:
                var seconds = result.WaitSeconds;
                await Audit.WriteAsync(name, AuditActions.LoginThrottled, $"wait {seconds} s", ip);
                askCode = !string.IsNullOrEmpty(Input.Code);
                error = S.LoginThrottled.Format(seconds);
                return;
            default:
                await Audit.WriteAsync(name, AuditActions.LoginFailed, null, ip);
                askCode = !string.IsNullOrEmpty(Input.Code);
                error = S.LoginWrong.ToString();
                return;
        }
    }

    sealed class LoginInput
    {
        public string? UserName { get; set; }
        public string? Password { get; set; }
        public string? Code { get; set; }
    }
}
