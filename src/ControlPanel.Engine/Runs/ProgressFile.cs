using System.Text.Json;
using ControlPanel.Engine.Data;
using ControlPanel.Engine.Files;
using ControlPanel.Engine.Stages;

namespace ControlPanel.Engine.Runs;

/// <summary>
/// Keeps panel.sh's outputs alive for scripts that polled them: DATA/h5/progress.json in the same shape,
/// access.log with its "[time][key][value]" lines, and installErr.log with the error messages.
/// </summary>
public sealed class ProgressFile(string dataDirectory)
{
    readonly string dir = Path.Combine(dataDirectory, "h5");
    readonly object gate = new();

    public void StageFinished(RunRecord run, StageRunRecord stage, int totalStages, int doneStages)
    {
        var progress = totalStages == 0 ? 100 : doneStages * 100 / totalStages;
        var failed = stage.State is RunState.Failed or RunState.Cancelled or RunState.Interrupted;
        var status = failed ? "1" : "0";
        lock (gate)
        {
            Directory.CreateDirectory(dir);
            var json = JsonSerializer.Serialize(new
            {
                code = failed ? 1 : 0,
                message = failed ? $"{stage.Title} error" : "success",
                data = new { installType = stage.Title, progress },
            });
            AtomicFile.Write(Path.Combine(dir, "progress.json"), json, AtomicFile.Public);

            var now = DateTime.Now.ToString("yyyy-MM-dd HH:mm:ss");
            File.AppendAllText(Path.Combine(dir, "access.log"),
                $"======================={stage.Title} progress=======================\n" +
                $"[{now}][installType][{stage.Title}]\n[{now}][progress][{progress}]\n[{now}][status][{status}]\n" +
                $"{stage.State}{(stage.Error is null ? "" : ": " + stage.Error)}\n");
            if (failed)
                File.AppendAllText(Path.Combine(dir, "installErr.log"), $"{stage.Title} error: {stage.Error}\n");
        }
    }
}
