using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Components.Server;

namespace ControlPanel.Web.Auth;

/// <summary>
/// A live page (a Blazor circuit) was authorised once, when it connected; this checks its session again every
/// <see cref="Interval"/>, so a page left open in a browser whose session was signed out or ended elsewhere goes to the
/// sign-in page instead of working on until it is closed.
/// </summary>
public sealed class SessionRevalidation(ILoggerFactory loggers, AccountService accounts) : RevalidatingServerAuthenticationStateProvider(loggers)
{
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(10);

    protected override TimeSpan RevalidationInterval => Interval;

    protected override async Task<bool> ValidateAuthenticationStateAsync(AuthenticationState state, CancellationToken cancellationToken) =>
        state.User.Identity?.IsAuthenticated != true || await accounts.IsCurrentAsync(state.User);
}
