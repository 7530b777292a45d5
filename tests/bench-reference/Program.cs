using Hangfire;
using Hangfire.Storage.SQLite;
using MudBlazor.Services;
using Reference.Components;

// reference --urls URL --data DIR: Hangfire's jobs database in DIR, as the panel keeps its own.
var data = args.SkipWhile(a => a != "--data").Skip(1).FirstOrDefault() ?? "data";
Directory.CreateDirectory(data);
// Its files beside the binary, wherever it is started from (as the panel does).
var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
builder.Services.AddRazorComponents().AddInteractiveServerComponents();
builder.Services.AddMudServices();
builder.Services.AddHangfire(c => c.UseSQLiteStorage(Path.Combine(data, "jobs.db")));
builder.Services.AddHangfireServer();
var app = builder.Build();
app.UseStaticFiles();
app.UseAntiforgery();
app.MapGet("/healthz", () => "ok");
app.MapRazorComponents<App>().AddInteractiveServerRenderMode();
app.Run();
