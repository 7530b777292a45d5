using System.Security.Claims;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using ControlPanel.Engine.Audit;

namespace ControlPanel.Components;

/// <summary>Base of the interactive pages: who is signed in, from where, and writing the audit log as them.</summary>
public abstract class PanelComponent : ComponentBase
{
    [CascadingParameter] Task<AuthenticationState>? AuthenticationState { get; set; }
    [CascadingParameter(Name = "RemoteAddress")] string? RemoteAddress { get; set; }
    [Inject] AuditStore AuditLog { get; set; } = default!;

    /// <summary>The client's address (behind our nginx, the forwarded one).</summary>
    protected string? ClientAddress => RemoteAddress;

    protected async Task<string> UserNameAsync() => (await UserAsync()).Identity?.Name ?? "-";

    protected async Task<ClaimsPrincipal> UserAsync() => AuthenticationState is null ? new() : (await AuthenticationState).User;

    /// <summary>"panel:NAME": how runs started here record who asked.</summary>
    protected async Task<string> RequesterAsync() => "panel:" + await UserNameAsync();

    protected async Task AuditAsync(string action, string? detail) =>
        await AuditLog.WriteAsync(await UserNameAsync(), action, detail, RemoteAddress);
}
