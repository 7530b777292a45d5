using ControlPanel.Engine.Data;
using ControlPanel.Engine.Validation;
using ControlPanel.Resources;
using ControlPanel.Web.Audit;
using ControlPanel.Web.Auth;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Components;
using ControlPanel.Engine.Audit;

namespace ControlPanel.Components.Account;

/// <summary>First start: the one-time setup token from the console lets whoever has it set the admin password, once.</summary>
public partial class Setup
{
    // One setup at a time: two posts racing with the same token must not both create an admin.
    static readonly SemaphoreSlim Gate = new(1, 1);

    [CascadingParameter] HttpContext HttpContext { get; set; } = default!;
    [SupplyParameterFromForm] SetupInput Input { get; set; } = new();
    [SupplyParameterFromQuery(Name = "token")] string? QueryToken { get; set; }
    [Inject] AccountService Accounts { get; set; } = default!;
    [Inject] SetupToken Token { get; set; } = default!;
    [Inject] AuditStore Audit { get; set; } = default!;
    [Inject] NavigationManager Navigation { get; set; } = default!;

    bool usable;
    string? error;

    protected override void OnInitialized()
    {
        // A GET brings the token in the address; a POST brings it back in the form.
        if (Input.Token is null)
        {
            Input.Token = QueryToken;
            Input.UserName ??= "admin";
        }
        usable = Token.Matches(Input.Token);
    }

    async Task SubmitAsync()
    {
        if (!usable) return;
        UserRecord created;
        await Gate.WaitAsync();
        try
        {
            if (!Token.Matches(Input.Token)) { usable = false; return; }
            try
            {
                created = await Accounts.CreateFirstUserAsync(Input.UserName, Input.Password, Input.Confirm);
            }
            catch (InputException e)
            {
                Input.Password = Input.Confirm = null;
                error = $"{FieldName(e.Field)}: {S.InputReason(e.Reason)}";
                return;
            }
            Token.TryConsume(Input.Token);
        }
        finally
        {
            Gate.Release();
        }
        var ip = HttpContext.Connection.RemoteIpAddress?.ToString();
        await Audit.WriteAsync(created.UserName, AuditActions.Setup, "admin account created with the setup token", ip);
        await HttpContext.SignInAsync(CookieAuthenticationDefaults.AuthenticationScheme, await Accounts.StartSessionAsync(created, HttpContext));
        Navigation.NavigateTo("/");
    }

    static string FieldName(string field) => field switch
    {
        "username" => S.UserName.ToString(),
        "confirm" => S.ConfirmPassword.ToString(),
        _ => S.NewPassword.ToString(),
    };

    sealed class SetupInput
    {
        public string? Token { get; set; }
        public string? UserName { get; set; }
        public string? Password { get; set; }
        public string? Confirm { get; set; }
    }
}
