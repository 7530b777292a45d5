using System.Diagnostics;
using System.Text.Json;
using ControlPanel.Engine.Data;
using ControlPanel.Engine.Runs;
using ControlPanel.Engine.Stages;
using ControlPanel.TestPeers;
using Microsoft.EntityFrameworkCore;

namespace ControlPanel.Tests.Cli;

/// <summary>The CLI contract scripts rely on: verbs, field-named errors, exit codes.</summary>
public class CliTests : IDisposable
{
    readonly string data = Path.Combine(Path.GetTempPath(), "cp-cli-" + Guid.NewGuid().ToString("N")[..10]);
    public void Dispose() { try { Directory.Delete(data, true); } catch (IOException) { } }

    [Theory]
    [InlineData("x;rm -rf /", "--domain: \"x;rm -rf /\" is not a valid host name")]
    [InlineData("exa mple.com", "--domain: \"exa mple.com\" is not a valid host name")]
    [InlineData("-bad.example.com", "is not a valid host name")]
    [InlineData("xn--zz.example.com", "is not a valid host name")]
    // A crafted value cannot clear or recolour the terminal that prints the error: its control characters are spelled out.
    [InlineData("\u001b[2J\u001b[31mred.example.com\u202e", "--domain: \"\\e[2J\\e[31mred.example.com\\u202e\" is not a valid host name")]
    public async Task A_bad_domain_is_refused_with_exit_2_naming_the_field(string domain, string message)
    {
        var r = await Cli.RunAsync("install", "--domain", domain, "--email", "a@example.com", "--yes", "--data", data);
        Assert.Equal(2, r.ExitCode);
        Assert.Contains(message, r.Stderr);
        Assert.DoesNotContain('\u001b', r.Stderr);
        Assert.False(File.Exists(Path.Combine(data, "controlpanel.db")) && r.Stdout.Contains("run "), "nothing may start on bad input");
    }

    [Theory]
    [InlineData("install", "-d", "panel.example.com", "-m", "a@example.com", "--dry-run", "--fixture-plans")]
    [InlineData("uninstall", "--dry-run", "--fixture-plans")]
    [InlineData("serve", "--nginx-target")]
    public async Task The_product_has_no_test_options(params string[] verb)
    {
        // The fixture plans and the private nginx live in the test panel (tests/ControlPanel.TestPanel), not in the product.
        var r = await Cli.RunAsync([.. verb, Path.Combine(data, "x"), "--data", data]);
        Assert.Equal(2, r.ExitCode);
        Assert.Contains($"Unrecognized command or argument '{verb[^1]}'", r.Stderr);
    }

    [Fact]
    public async Task An_unknown_argument_is_quoted_with_its_control_characters_spelled_out()
    {
        var r = await Cli.RunAsync("runs", "\u001b]0;owned\u0007\u001b[2Jx", "--data", data);
        Assert.Equal(2, r.ExitCode);
        Assert.Contains(@"Unrecognized command or argument '\e]0;owned\x07\e[2Jx'", r.Stderr);
        Assert.DoesNotContain('\u001b', r.Stderr);
    }

    [Fact]
    public async Task The_data_directory_is_made_0700_and_the_database_files_0600_whatever_the_umask()
    {
        // umask 022 (the usual one) would make them 0755 and 0644; the WAL holds password hashes and TOTP secrets.
        // A CLI verb that writes (hosts add) while a second one reads keeps the WAL and shared-memory files in place.
        var r = await Cli.RunWrappedAsync(["sh", "-c", "umask 022 && exec \"$@\"", "sh"], "hosts", "add", "edge1", "root@192.0.2.10", "--data", data);
        Assert.True(r.ExitCode == 0, r.Stdout + r.Stderr);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(data));
        using (var reader = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={Path.Combine(data, "controlpanel.db")}"))
        {
            // SQLite makes -wal and -shm when a connection opens the database in WAL mode; they must take the database's mode.
            reader.Open();
            using var c = reader.CreateCommand();
            c.CommandText = "SELECT count(*) FROM Hosts";
            Assert.Equal(1L, c.ExecuteScalar());
            var files = Directory.GetFiles(data, "*.db*");
            Assert.Contains(Path.Combine(data, "controlpanel.db-wal"), files);
            Assert.All(files, f => Assert.True(File.GetUnixFileMode(f) == (UnixFileMode.UserRead | UnixFileMode.UserWrite),
                $"{f} is {File.GetUnixFileMode(f)}"));
        }
    }

    [Fact]
    public async Task Runs_counts_a_resumed_runs_time_from_its_first_start_and_shows_each_attempts_own()
    {
        // The test panel's fixture plans (stages that only print and write under DIR): deps sleeps 2 s, containerd fails.
        var fixtures = Path.Combine(data, "fixtures");
        Directory.CreateDirectory(fixtures);
        File.WriteAllText(Path.Combine(fixtures, "sleep-deps"), "2");
        File.WriteAllText(Path.Combine(fixtures, "fail-containerd"), "");
        var failed = await Cli.RunTestPanelAsync("install", "-d", "panel.example.com", "-m", "a@example.com", "--yes", "--fixture-plans", fixtures, "--data", data);
        Assert.True(failed.ExitCode == 1, failed.Stdout + failed.Stderr);
        var id = System.Text.RegularExpressions.Regex.Match(failed.Stdout, @"run (\d+)").Groups[1].Value;
        File.Delete(Path.Combine(fixtures, "fail-containerd"));
        await Task.Delay(1000);
        var resumed = await Cli.RunTestPanelAsync("rerun", id, "--data", data);
        Assert.True(resumed.ExitCode == 0, resumed.Stdout + resumed.Stderr);

        var json = await Cli.RunAsync("runs", "--json", "--data", data);
        var run = JsonDocument.Parse(json.Stdout).RootElement[0];
        var attempts = run.GetProperty("attemptSeconds").EnumerateArray().Select(a => a.GetDouble()).ToList();
        Assert.Equal(2, attempts.Count);
        Assert.True(attempts[0] >= 2, $"the first attempt slept 2 s in deps, yet took {attempts[0]} s");
        // The wall time spans both attempts and the pause between them; before, it restarted with the resume.
        var wall = run.GetProperty("wallSeconds").GetDouble();
        Assert.True(wall >= attempts.Sum() + 1, $"wall {wall} s, attempts {string.Join(" + ", attempts)} s");

        var table = (await Cli.RunAsync("runs", "--data", data)).Stdout.Split('\n');
        Assert.Contains("EACH ATTEMPT", table[0]);
        Assert.Matches(@"Succeeded .* \d+\.\d s, \d+\.\d s$", table.Single(l => l.TrimStart().StartsWith(id + " ", StringComparison.Ordinal)).TrimEnd());
    }

    [Fact]
    public async Task A_stage_quiet_for_15_s_prints_what_it_waits_for_without_log()
    {
        var fixtures = Path.Combine(data, "fixtures");
        Directory.CreateDirectory(fixtures);
        File.WriteAllText(Path.Combine(fixtures, "sleep-deps"), "17");
        var r = await Cli.RunTestPanelAsync("install", "-d", "panel.example.com", "-m", "a@example.com", "--yes", "--fixture-plans", fixtures, "--data", data);

        Assert.True(r.ExitCode == 0, r.Stdout + r.Stderr);
        var quiet = r.Stdout.Split('\n').Where(l => l.Contains(" ~ ")).ToList();
        var line = Assert.Single(quiet);
        Assert.Matches(@"^\d\d:\d\d:\d\d\.\d{3} ~ no output for 1[56] s: waiting for `sh \S+fixture-stage\.sh fixture-deps .*` since \d\d:\d\d:\d\d \(\d+ s\)$", line);
        // Only the signs of life: the stage's own lines stay in its log (`--log` shows them).
        Assert.DoesNotContain("fixture-deps line", r.Stdout);
    }

    [Fact]
    public async Task The_quick_starts_dotnet_run_keeps_a_relative_data_directory_where_the_command_was_typed()
    {
        // README's quick start: `dotnet run --project src/ControlPanel ... -- serve --data ./data`, here with a verb that ends.
        Directory.CreateDirectory(data);
        var project = Path.Combine(RepoPaths.Root, "src", "ControlPanel");
        var psi = new ProcessStartInfo("dotnet") { WorkingDirectory = data, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in new[] { "run", "--project", project, "-c", RepoPaths.Configuration, "--no-build", "--", "runs", "--data", "./here" })
            psi.ArgumentList.Add(a);
        using var p = Process.Start(psi)!;
        var stderr = p.StandardError.ReadToEndAsync();
        var stdout = await p.StandardOutput.ReadToEndAsync();
        await p.WaitForExitAsync();
        Assert.True(p.ExitCode == 0, stdout + await stderr);
        Assert.True(File.Exists(Path.Combine(data, "here", "controlpanel.db")), "the database is not under the directory the command was typed in");
        Assert.False(Directory.Exists(Path.Combine(project, "here")), "the data went into the project folder");
    }

    [Fact]
    public async Task A_database_this_release_cannot_upgrade_exits_5_with_the_reason_and_is_left_as_it_was()
    {
        ControlPanelDb.Migrate(data);
        // As a database of a release that had applied only the first hand-written migration would record it.
        const string history = "DELETE FROM __EFMigrationsHistory; INSERT INTO __EFMigrationsHistory VALUES ('20261121000001_Runs', '10.0.15');";
        await using (var db = ControlPanelDb.Open(data))
            await db.Database.ExecuteSqlRawAsync(history);

        var r = await Cli.RunAsync("runs", "--data", data);
        Assert.Equal(5, r.ExitCode);
        Assert.Contains($"{Path.Combine(data, "controlpanel.db")} lacks the hand-written migrations 20261121000002_Certificates, ", r.Stderr);
        Assert.Contains("Nothing was changed.", r.Stderr);
        await using (var db = ControlPanelDb.Open(data))
            Assert.Equal(["20261121000001_Runs"], await db.Database.GetAppliedMigrationsAsync());
    }

    [Fact]
    public async Task Every_wrong_option_is_named_at_once_one_line_each_and_nothing_starts()
    {
        var r = await Cli.RunAsync("install", "--domain", "not a domain", "--email", "nobody", "--download-mirror", "ftp://m", "--yes", "--data", data);
        Assert.Equal(2, r.ExitCode);
        var lines = r.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(["--domain: ", "--email: ", "--download-mirror: "], lines.Select(l => l[..(l.IndexOf(':') + 2)]));
        Assert.Equal("[]", (await Cli.RunAsync("runs", "--json", "--data", data)).Stdout.Trim());
    }

    [Theory]
    [InlineData("--email", "not-an-email", "--email: \"not-an-email\" is not a valid e-mail address")]
    [InlineData("--panel-type", "php", "--panel-type: \"php\" must be one of: faasd, node")]
    [InlineData("--profile", "latest", "--profile: \"latest\" must be one of: seed, current")]
    [InlineData("--download-mirror", "ftp://mirror/x", "--download-mirror: \"ftp://mirror/x\" is not an http:// or https:// URL")]
    [InlineData("--host", "root@1.2.3.4", "--host: \"root@1.2.3.4\" is not of the form ssh://user@host[:port]")]
    [InlineData("--passinit", "short", "--password-file: must be at least 8 characters")]
    public async Task Other_bad_inputs_name_their_field(string flag, string value, string message)
    {
        var args = new List<string> { "install", "--domain", "panel.example.com", "--email", "a@example.com", "--yes", "--data", data };
        var i = args.IndexOf(flag);
        if (i >= 0) args[i + 1] = value; else args.AddRange([flag, value]);
        var r = await Cli.RunAsync([.. args]);
        Assert.Equal(2, r.ExitCode);
        Assert.Contains(message, r.Stderr);
    }

    [Fact]
    public async Task Unknown_flags_are_bad_input()
    {
        var r = await Cli.RunAsync("install", "--frobnicate", "--data", data);
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("--frobnicate", r.Stderr);
    }

    [Fact]
    public async Task A_host_held_by_another_run_gives_exit_3()
    {
        // Port 1 on loopback: if the lock failed to hold, the run could only fail to connect, never touch this machine.
        const string host = "ssh://root@127.0.0.1:1";
        Directory.CreateDirectory(data);
        using var held = HostLock.TryAcquire(data, "ssh:root@127.0.0.1:1", "test");
        Assert.NotNull(held);
        var r = await Cli.RunAsync("install", "-d", "panel.example.com", "-m", "a@example.com", "--host", host, "--yes", "--data", data);
        Assert.Equal(3, r.ExitCode);
        Assert.Contains("another run holds ssh:root@127.0.0.1:1", r.Stderr);
    }

    [Fact]
    public async Task Runs_status_and_logs_answer_on_an_empty_data_directory()
    {
        var runs = await Cli.RunAsync("runs", "--json", "--data", data);
        Assert.Equal(0, runs.ExitCode);
        Assert.Equal(JsonValueKind.Array, JsonDocument.Parse(runs.Stdout).RootElement.ValueKind);
        Assert.Equal(0, JsonDocument.Parse(runs.Stdout).RootElement.GetArrayLength());

        var status = await Cli.RunAsync("status", "--json", "--data", data);
        Assert.Equal(0, status.ExitCode);
        Assert.Equal(data, JsonDocument.Parse(status.Stdout).RootElement.GetProperty("dataDirectory").GetString());

        var logs = await Cli.RunAsync("logs", "42", "--data", data);
        Assert.Equal(2, logs.ExitCode);
        Assert.Contains("RUN_ID: \"42\" is not a run", logs.Stderr);
    }

    [Fact]
    public async Task Status_marks_a_run_whose_process_is_gone_interrupted_and_says_nothing_runs()
    {
        // A run left Running by a process that was killed: nobody holds its host's lock.
        ControlPanelDb.Migrate(data);
        await using (var db = ControlPanelDb.Open(data))
        {
            db.Runs.Add(new RunRecord
            {
                Kind = "install", HostSpec = "local", HostKey = "local", State = RunState.Running, InputsJson = "{}",
                CreatedAt = DateTime.UtcNow, StartedAt = DateTime.UtcNow,
                Stages = { new StageRunRecord { Index = 0, Name = "deps", Title = "Packages", State = RunState.Running, LogFile = "runs/1/0.log" } },
            });
            await db.SaveChangesAsync();
        }
        var status = await Cli.RunAsync("status", "--json", "--data", data);
        Assert.Equal(0, status.ExitCode);
        var json = JsonDocument.Parse(status.Stdout).RootElement;
        Assert.Equal(0, json.GetProperty("running").GetArrayLength());
        var install = json.GetProperty("lastInstall");
        Assert.Equal("Interrupted", install.GetProperty("state").GetString());
        Assert.Equal("Interrupted", install.GetProperty("stages")[0].GetProperty("state").GetString());
        await using (var db = ControlPanelDb.Open(data))
            Assert.Equal(RunState.Interrupted, (await db.Runs.SingleAsync()).State);
    }

    [Fact]
    public async Task Uninstall_without_a_terminal_needs_yes()
    {
        var r = await Cli.RunAsync("uninstall", "--data", data);
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("--yes", r.Stderr);
    }

    [Fact]
    public async Task Serve_answers_healthz_and_creates_its_database_by_migration()
    {
        var port = LoopbackPorts.Tcp();
        var psi = new ProcessStartInfo(Cli.Binary) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in new[] { "serve", "--urls", $"http://127.0.0.1:{port}", "--data", data }) psi.ArgumentList.Add(a);
        using var serve = Process.Start(psi)!;
        try
        {
            using var http = new HttpClient();
            HttpResponseMessage? health = null;
            for (var i = 0; i < 300 && health?.IsSuccessStatusCode != true; i++)
            {
                try { health = await http.GetAsync($"http://127.0.0.1:{port}/healthz"); }
                catch (HttpRequestException) { await Task.Delay(100); }
            }
            Assert.True(health?.IsSuccessStatusCode, "no /healthz 200 within 30 s");
            Assert.True(File.Exists(Path.Combine(data, "controlpanel.db")));
            var tables = await Cli.RunAsync("runs", "--json", "--data", data);
            Assert.Equal(0, tables.ExitCode);
        }
        finally
        {
            serve.Kill(entireProcessTree: true);
            await serve.WaitForExitAsync();
        }
    }
}
