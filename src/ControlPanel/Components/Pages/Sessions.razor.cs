using ControlPanel.Engine.Data;
using ControlPanel.Web.Audit;
using ControlPanel.Web.Auth;
using Microsoft.AspNetCore.Components;

namespace ControlPanel.Components.Pages;

/// <summary>The signed-in administrator's sessions that still stand; any other one can be ended here (this one: Sign out).</summary>
public partial class Sessions
{
    [Inject] AccountService Accounts { get; set; } = default!;

    List<SessionRecord>? sessions;
    string? current;

    protected override async Task OnInitializedAsync()
    {
        current = AccountService.SessionId(await UserAsync());
        await LoadAsync();
    }

    async Task LoadAsync() => sessions = await Accounts.ActiveSessionsAsync(await UserAsync());

    async Task EndAsync(string id)
    {
        if (await Accounts.EndSessionAsync(await UserAsync(), id))
            await AuditAsync(AuditActions.SessionEnd, $"signed in {sessions?.FirstOrDefault(s => s.Id == id)?.CreatedAt:u}");
        await LoadAsync();
    }
}
