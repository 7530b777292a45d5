using ControlPanel.Resources;
using MudBlazor;

namespace ControlPanel.Components.Dialogs;

/// <summary>The one question the panel asks before something it cannot undo: the action's name is the title and the button; "Back" leaves.</summary>
public static class ConfirmDialog
{
    public static async Task<bool> ConfirmAsync(this IDialogService dialogs, string question, string action) =>
        await dialogs.ShowMessageBoxAsync(action, question, yesText: action, cancelText: S.Back.ToString()) == true;
}
