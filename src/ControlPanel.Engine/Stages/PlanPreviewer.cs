using System.Text.Json.Serialization;
using ControlPanel.Engine.Hosts;
using ControlPanel.Engine.Logging;
using ControlPanel.Engine.Messages;

namespace ControlPanel.Engine.Stages;

/// <summary>What one stage would do: skip (and why), or the commands and file changes it would make.</summary>
public sealed record StagePreview(string Name, string Title, bool WouldSkip, string? Reason, IReadOnlyList<DryRunAction> Actions, string? Error)
{
    /// <summary><see cref="Reason"/> and <see cref="Error"/> with their keys, for the panel to translate (the CLI's JSON keeps the English only).</summary>
    [JsonIgnore] public UserMessage? ReasonMessage { get; init; }
    [JsonIgnore] public UserMessage? ErrorMessage { get; init; }
}

/// <summary>
/// The dry run of a plan: each stage's check runs against the real host (read-only probes), and its apply
/// runs against a <see cref="DryRunHost"/> that records instead of changing anything. The request's secrets are
/// masked in everything it returns (commands, diffs, reasons, errors): no face shows them.
/// </summary>
public static class PlanPreviewer
{
    public static async Task<IReadOnlyList<StagePreview>> PreviewAsync(Plan plan, PlanRequest request, IHost realHost, string dataDirectory, CancellationToken cancellation)
    {
        var dry = new DryRunHost(realHost);
        var log = SilentLog.Instance;
        var previews = new List<StagePreview>();
        foreach (var stage in plan.Stages)
        {
            var context = new StageContext(dry, log, dataDirectory, cancellation);
            try
            {
                var check = await stage.CheckAsync(context);
                if (!check.Done) await stage.ApplyAsync(context);
                previews.Add(new StagePreview(stage.Name, stage.Title, check.Done, check.Reason, dry.Drain(), null) { ReasonMessage = check.Why });
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                previews.Add(new StagePreview(stage.Name, stage.Title, false, null, dry.Drain(), e.Message) { ErrorMessage = e is IUserFacingException f ? f.UserMessage : UserMessage.Verbatim(e.Message) });
            }
        }
        var masker = request.Masker();
        return previews.Select(p => p with
        {
            Reason = p.Reason is null ? null : masker.Apply(p.Reason),
            Error = p.Error is null ? null : masker.Apply(p.Error),
            ReasonMessage = p.ReasonMessage?.Map(masker.Apply),
            ErrorMessage = p.ErrorMessage?.Map(masker.Apply),
            Actions = p.Actions.Select(a => a.Command is not null
                ? a with { Command = masker.Apply(a.Command) }
                : a with { File = a.File! with { Diff = masker.Apply(a.File.Diff) } }).ToList(),
        }).ToList();
    }
}
