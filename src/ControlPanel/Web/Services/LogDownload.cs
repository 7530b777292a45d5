using System.Text;
using ControlPanel.Engine.Runs;

namespace ControlPanel.Web.Services;

/// <summary>GET /runs/{id}/log: the whole log of a run as text, streamed from the files (needs a signed-in user).</summary>
public static class LogDownload
{
    public static void Map(WebApplication app) =>
        app.MapGet("/runs/{runId:long}/log", async (long runId, HttpContext http, RunEngine engine) =>
        {
            var files = engine.Logs.StageFiles(runId).ToList();
            if (files.Count == 0) return Results.NotFound();
            var names = files.ToDictionary(f => f.Index, f => Path.GetFileNameWithoutExtension(f.File)[3..]);
            http.Response.ContentType = "text/plain; charset=utf-8";
            http.Response.Headers.ContentDisposition = $"attachment; filename=\"run-{runId}.log\"";
            await using var writer = new StreamWriter(http.Response.Body, new UTF8Encoding(false), 64 * 1024, leaveOpen: true);
            foreach (var e in engine.Logs.Read(runId))
            {
                await writer.WriteAsync($"{e.At:yyyy-MM-ddTHH:mm:ss.fffZ} {names.GetValueOrDefault(e.StageIndex)} {(char)e.Kind} {e.Text}\n");
                if (http.RequestAborted.IsCancellationRequested) break;
            }
            return Results.Empty;
        });
}
