using System.Globalization;
using ControlPanel.Engine.Data;
using ControlPanel.Engine.Messages;
using ControlPanel.Engine.Runs;
using ControlPanel.Engine.Stages;
using ControlPanel.Engine.Tests.Support;
using ControlPanel.TestPeers;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;

namespace ControlPanel.Engine.Tests.Data;

/// <summary>A database written by the last release of the hand-written migrations, opened by today's code: every row is kept, and new ones follow.</summary>
public class UpgradeTests : IDisposable
{
    readonly TempDir tmp = new();
    readonly string data;
    readonly List<string> before;

    public UpgradeTests()
    {
        data = OldDatabase.CopyTo(tmp.Sub("data"));
        before = OldDatabase.Fields(data);
        ControlPanelDb.Migrate(data);
    }

    public void Dispose() => tmp.Dispose();

    /// <summary>Columns a migration removed on purpose: Sessions took the per-account lockout out for waits per name and address.</summary>
    static readonly string[] Dropped = ["Users[0].FailedLogins", "Users[0].LockedUntil"];

    /// <summary>Fields of the old database that are not there, as they were, after the upgrade (other than the dropped ones).</summary>
    IEnumerable<string> Lost() => before.Except(OldDatabase.Fields(data)).Where(f => !Dropped.Any(d => f.StartsWith(d + " = ", StringComparison.Ordinal)));

    [Fact]
    public void Every_stored_value_of_every_row_is_kept()
    {
        Assert.Equal(
            new Dictionary<string, int>
            {
                ["AuditLog"] = 5, ["Batches"] = 1, ["Certificates"] = 2, ["Hosts"] = 3, ["RunEvents"] = 59, ["Runs"] = 4,
                ["Settings"] = 2, ["StageRuns"] = 27, ["Users"] = 1,
            },
            OldDatabase.Tables.ToDictionary(t => t, t => OldDatabase.Rows(data, t).Count));
        Assert.Empty(Lost());
    }

    [Fact]
    public void The_model_reads_every_field_of_every_row_as_it_is_stored()
    {
        using var db = ControlPanelDb.Open(data);
        foreach (var entity in db.Model.GetEntityTypes())
        {
            var table = entity.GetTableName()!;
            var key = entity.FindPrimaryKey()!.Properties.Single();
            var stored = OldDatabase.Rows(data, table)
                .SelectMany(row => entity.GetProperties().Select(p => Line(table, Stored(key, row), p, Stored(p, row))));
            var read = ((IEnumerable<object>)typeof(DbContext).GetMethod(nameof(DbContext.Set), Type.EmptyTypes)!
                    .MakeGenericMethod(entity.ClrType).Invoke(db, null)!).ToList()
                .SelectMany(e => entity.GetProperties().Select(p => Line(table, Read(key, e), p, Read(p, e))));
            Assert.Equal(stored.Order(), read.Order());
        }
    }

    static string Line(string table, object? key, IProperty property, object? value) =>
        $"{table}[{key}].{property.GetColumnName()} = {value switch { null => "null", DateTime d => d.ToString("O"), _ => Convert.ToString(value, CultureInfo.InvariantCulture) }}";

    /// <summary>A property's value as the provider stores it (enums as their names), from the entity EF made.</summary>
    static object? Read(IProperty property, object entity) =>
        property.PropertyInfo!.GetValue(entity) is { } value && property.GetTypeMapping().Converter is { } converter ? converter.ConvertToProvider(value) : property.PropertyInfo!.GetValue(entity);

    /// <summary>The stored value as the provider's type, read without EF.</summary>
    static object? Stored(IProperty property, Dictionary<string, object?> row)
    {
        var type = property.GetTypeMapping().Converter?.ProviderClrType ?? property.ClrType;
        type = Nullable.GetUnderlyingType(type) ?? type;
        return row[property.GetColumnName()] switch
        {
            null => null,
            string s when type == typeof(DateTime) => DateTime.Parse(s, CultureInfo.InvariantCulture),
            long l when type == typeof(bool) => l != 0,
            var v => Convert.ChangeType(v, type, CultureInfo.InvariantCulture),
        };
    }

    [Fact]
    public async Task What_the_old_release_wrote_reads_back_as_it_meant_it()
    {
        await using var db = ControlPanelDb.Open(data);
        var runs = await db.Runs.AsNoTracking().Include(r => r.Stages.OrderBy(s => s.Index)).OrderBy(r => r.Id).ToListAsync();
        Assert.Equal(
            [("install", RunState.Succeeded, 2, null, null), ("uninstall", RunState.Succeeded, 1, null, null),
             ("install", RunState.Succeeded, 1, "edge1", 1L), ("install", RunState.Failed, 1, "edge2", (long?)1L)],
            runs.Select(r => (r.Kind, r.State, r.Attempts, r.HostName, r.BatchId)));
        Assert.All(runs, r => Assert.StartsWith("fixture:/tmp/cp-asset-3180401d/", r.Catalog));
        var deps = runs[0].Stages[1];
        Assert.Equal(("deps", RunState.Succeeded, "/tmp/cp-asset-3180401d/data/runs/1/01-deps.log", 44L), (deps.Name, deps.State, deps.LogFile, deps.LogLines));
        Assert.Equal("check.missing", UserMessage.FromJson(deps.CheckReasonJson)!.Key);
        Assert.Equal(RunState.Skipped, runs[1].Stages[5].State);
        Assert.Equal([RunState.Failed, .. Enumerable.Repeat(RunState.Queued, 6)], runs[3].Stages.Select(s => s.State));
        Assert.StartsWith("preflight: `ssh ", runs[3].Error);
        Assert.Equal("run.stage-stopped", UserMessage.FromJson(runs[3].ErrorJson)!.Key);
        Assert.Equal([(1L, 22, 21), (2L, 15, 14), (3L, 17, 16), (4L, 5, 5)],
            (await db.RunEvents.ToListAsync()).GroupBy(e => e.RunId).Select(g => (g.Key, g.Count(), g.Count(e => UserMessage.FromJson(e.MessageJson)?.Text == e.Message && e.Message is not null))));

        var admin = await db.Users.SingleAsync();
        Assert.Equal(("admin", "VLNHAMCDML247YSA7V2QJKCW3QAJTJCY"), (admin.UserName, admin.TotpSecret));
        // The old per-account failure count went with its columns; failed sign-ins are counted per name and address now.
        Assert.Empty(await db.SignInFailures.ToListAsync());
        Assert.Empty(await db.Sessions.ToListAsync());
        Assert.StartsWith("AQAAAA", admin.PasswordHash);
        Assert.True(admin.LastLoginAt > admin.CreatedAt);
        Assert.Equal(["setup", "totp-enable", "login", "login-failed", "settings-save"], await db.AuditLog.OrderBy(a => a.Id).Select(a => a.Action).ToListAsync());
        Assert.Equal(
            new Dictionary<string, string> { ["install.downloadMirror"] = "https://mirror.example.test/controlpanel/", ["install.profile"] = "current" },
            await db.Settings.ToDictionaryAsync(s => s.Key, s => s.Value));

        var hosts = await db.Hosts.OrderBy(h => h.Id).ToListAsync();
        Assert.Equal([("edge1", "pi,site=paris", true), ("edge2", "site=lyon", true), ("edge3", "site=rome", false)],
            hosts.Select(h => (h.Name, h.Labels, h.PinnedFingerprints?.StartsWith("SHA256:") == true)));
        Assert.Equal(("ubuntu", "192.0.2.53", 2222, null), (hosts[2].User, hosts[2].Address, hosts[2].Port, hosts[2].KeyPath));
        var batch = await db.Batches.SingleAsync();
        Assert.Equal(("install", 2, false), (batch.Kind, batch.Parallel, batch.CancelRequested));
        Assert.Contains("\"domain\":\"fleet.example.test\"", batch.InputsJson);
        Assert.Contains("\"Name\":\"edge2\"", batch.TargetsJson);

        var certificates = await db.Certificates.OrderBy(c => c.Id).ToListAsync();
        Assert.Equal(["panel.example.test", "www.panel.example.test"], certificates[0].DomainList);
        Assert.Equal((new DateTime(2031, 12, 2, 14, 9, 34), "14FAE32916EA16C2", 0), (certificates[0].NotAfter, certificates[0].Serial, certificates[0].FailureCount));
        Assert.Equal((null, 1), (certificates[1].NotAfter, certificates[1].FailureCount));
        Assert.StartsWith("urn:ietf:params:acme:error:connection: ", certificates[1].LastError);
    }

    [Fact]
    public async Task A_new_run_and_new_rows_follow_the_old_ones()
    {
        var work = tmp.Sub("work");
        Directory.CreateDirectory(work);
        File.WriteAllText(Path.Combine(work, "lines-b"), "5");
        await using var engines = new TestEngines();
        var engine = engines.Create(new EngineOptions(data), MarkerPlan.Catalog());
        var handle = await engine.StartAsync(MarkerPlan.Request(work, "a,b"), "local");
        Assert.Equal(RunState.Succeeded, await handle.Completion);
        Assert.Equal(5, handle.RunId);

        await using (var db = ControlPanelDb.Open(data))
        {
            var run = await db.Runs.AsNoTracking().Include(r => r.Stages.OrderBy(s => s.Index)).SingleAsync(r => r.Id == handle.RunId);
            Assert.Equal((MarkerPlan.Kind, 1), (run.Catalog, run.Attempts));
            Assert.Equal(["a", "b"], run.Stages.Select(s => s.Name));
            Assert.True(run.Stages[1].LogLines >= 5, $"{run.Stages[1].LogLines} lines");
            Assert.True(File.Exists(run.Stages[1].LogFile), run.Stages[1].LogFile);
            Assert.NotEmpty(await db.RunEvents.Where(e => e.RunId == run.Id).ToListAsync());

            db.Hosts.Add(new HostRecord { Name = "edge4", User = "root", Address = "192.0.2.54", Port = 22, CreatedAt = DateTime.UtcNow });
            db.AuditLog.Add(new AuditRecord { At = DateTime.UtcNow, User = "admin", Action = "host-add", Detail = "edge4" });
            await db.SaveChangesAsync();
            Assert.Equal((4L, 6L), (await db.Hosts.MaxAsync(h => h.Id), await db.AuditLog.MaxAsync(a => a.Id)));
        }
        Assert.Empty(Lost());
    }
}
