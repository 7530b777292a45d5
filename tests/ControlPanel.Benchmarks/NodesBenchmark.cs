using System.Diagnostics;
using System.Text.Json;
using ControlPanel.Engine.Data;
using ControlPanel.Engine.Stages;
using ControlPanel.Tests.Cli;
using ControlPanel.Tests.Support;
using ControlPanel.TestPeers;
using Microsoft.EntityFrameworkCore;

namespace ControlPanel.Benchmarks;

/// <summary>
/// Hosts per minute of a batch handed to the panel (`install --inventory F --detach`) with one panel node and with
/// two (`serve` processes of the test panel on one PostgreSQL, Debian's, a throw-away cluster with fsync off, and one
/// data directory), on this machine; and, for comparison, one node on SQLite (the default). The hosts are FIXTURE hosts: the fixture plans' stages run here
/// (`local-only`), each host with its own state, so the figure is the panel's (queue, host locks, records, logs,
/// news), not sshd's. They share one loopback sshd's address and port, whose key is pinned once as a user pins it.
/// Usage: nodes [HOSTS (default 200)] [PARALLEL (default 40: two nodes' 20 workers each)] [--short (CI: 20 hosts, 10 at a time)]
/// </summary>
public sealed class NodesBenchmark : IBenchmark
{
    public string Name => "nodes";
    public string Description => "hosts per minute: a batch of 200 FIXTURE hosts handed to one panel node on SQLite, then to one and to two on one PostgreSQL";

    sealed record Round(string Database, int Nodes, int Hosts, int Parallel, double Seconds, double RunSpan, int Succeeded, string PerNode, double NodesCpu, double MachineCpu);

    public async Task RunAsync(string[] args)
    {
        var numbers = args.Where(a => a != "--short").Select(int.Parse).ToArray();
        var quick = args.Contains("--short");
        var hosts = numbers.Length > 0 ? numbers[0] : quick ? 20 : 200;
        var parallel = numbers.Length > 1 ? numbers[1] : quick ? 10 : 40;
        Console.WriteLine($"{Environment.ProcessorCount} cores, {hosts} hosts, {parallel} at a time, the test panel's {RepoPaths.Configuration} build");

        await using var sshd = await LoopbackSshd.StartAsync();
        var rounds = new List<Round>();
        rounds.Add(await RoundAsync(postgres: false, 1, hosts, parallel, sshd));
        foreach (var nodes in new[] { 1, 2 }) rounds.Add(await RoundAsync(postgres: true, nodes, hosts, parallel, sshd));

        Console.WriteLine();
        Console.WriteLine($"| database | nodes | hosts | parallel | handed over to last end | hosts/min | first start to last end | succeeded | CPU s: nodes | machine | runs per node |");
        Console.WriteLine("|----------|------:|------:|---------:|------------------------:|----------:|------------------------:|----------:|-------------:|--------:|---------------|");
        foreach (var r in rounds)
            Console.WriteLine($"| {r.Database} | {r.Nodes} | {r.Hosts} | {r.Parallel} | {r.Seconds:0.0} s | {r.Hosts / (r.Seconds / 60):0} | {r.RunSpan:0.0} s | {r.Succeeded} | {r.NodesCpu:0.0} | {r.MachineCpu:0.0} | {r.PerNode} |");
        if (rounds.Any(r => r.Succeeded != r.Hosts)) throw new InvalidOperationException("hosts did not succeed: the figures above are not throughput");
        Console.WriteLine($"nodes: every host succeeded; on PostgreSQL two nodes took {rounds[2].Seconds / rounds[1].Seconds * 100:0}% of one node's time");
    }

    static async Task<Round> RoundAsync(bool postgres, int nodeCount, int hostCount, int parallel, LoopbackSshd sshd)
    {
        string[] database = postgres ? ["--database", await PostgresPeer.NewDatabaseAsync()] : [];
        var nodes = new List<PanelServer>();
        try
        {
            var a = await PanelServer.StartAsync(null, [.. database, "--node", "node-a"]);
            nodes.Add(a);
            if (nodeCount == 2) nodes.Add(await PanelServer.StartAsync(a.Root, [.. database, "--node", "node-b"]));
            var data = a.DataDirectory;
            a.SetFixture("local-only", "");
            await CliAsync(data, "hosts", "add", "pin", $"{Environment.UserName}@127.0.0.1:{sshd.Port}", "--key", sshd.ClientKey);
            await CliAsync(data, "hosts", "trust", "pin", "--yes", "--fingerprint", await sshd.HostKeyFingerprintAsync());
            var inventory = Path.Combine(a.Root, "hosts.txt");
            File.WriteAllLines(inventory, Enumerable.Range(1, hostCount).Select(i => $"h{i:000} bench{i:000}@127.0.0.1:{sshd.Port}"));
            var password = Path.Combine(a.Root, "password");
            File.WriteAllText(password, "one password for every host\n");

            var cpuBefore = nodes.Sum(n => Measure.CpuSeconds(n.ProcessId.ToString()));
            var machineBefore = MachineBusySeconds();
            var clock = Stopwatch.StartNew();
            var handed = await CliAsync(data, "install", "-d", "bench.example.com", "-m", "a@example.com", "--password-file", password,
                "--inventory", inventory, "--parallel", parallel.ToString(), "--detach", "--yes", "--json", "--fixture-plans", a.FixtureDirectory);
            var batchId = JsonDocument.Parse(handed).RootElement.GetProperty("batchId").GetInt64();
            List<RunRecord> runs;
            while (true)
            {
                await using (var db = ControlPanelDb.Open(data))
                    runs = await db.Runs.AsNoTracking().Where(r => r.BatchId == batchId).ToListAsync();
                if (runs.Count == hostCount && runs.All(r => r.State.IsFinal())) break;
                if (clock.Elapsed > TimeSpan.FromMinutes(20)) throw new TimeoutException($"batch {batchId}: {runs.Count(r => r.State.IsFinal())} of {hostCount} hosts ended in 20 minutes");
                await Task.Delay(250);
            }
            var seconds = clock.Elapsed.TotalSeconds;
            var nodesCpu = nodes.Sum(n => Measure.CpuSeconds(n.ProcessId.ToString())) - cpuBefore;
            var machineCpu = MachineBusySeconds() - machineBefore;
            var span = (runs.Max(r => r.EndedAt!.Value) - runs.Min(r => r.StartedAt!.Value)).TotalSeconds;
            var perNode = string.Join(", ", runs.GroupBy(r => r.Node ?? "?").OrderBy(g => g.Key).Select(g => $"{g.Key} {g.Count()}"));
            Console.WriteLine($"{(postgres ? "PostgreSQL" : "SQLite")}, {nodeCount} node(s): batch {batchId}, {runs.Count(r => r.State == RunState.Succeeded)} of {hostCount} succeeded in {seconds:0.0} s ({perNode})");
            return new Round(postgres ? "PostgreSQL" : "SQLite", nodeCount, hostCount, parallel, seconds, span, runs.Count(r => r.State == RunState.Succeeded), perNode, nodesCpu, machineCpu);
        }
        finally
        {
            // B first: A's directory (the shared one) goes with A.
            foreach (var node in Enumerable.Reverse(nodes)) await node.DisposeAsync();
        }
    }

    /// <summary>Runs the test panel's CLI on the data directory; its standard output, or an exception with both outputs.</summary>
    static async Task<string> CliAsync(string data, params string[] args)
    {
        var result = await Cli.RunTestPanelAsync([.. args, "--data", data]);
        if (result.ExitCode != 0) throw new InvalidOperationException($"controlpanel-test {string.Join(' ', args)}: exit {result.ExitCode}\n{result.Stdout}{result.Stderr}");
        return result.Stdout;
    }

    /// <summary>CPU seconds every core of the machine spent busy (all of /proc/stat's first line but idle and iowait).</summary>
    static double MachineBusySeconds()
    {
        var ticks = File.ReadLines("/proc/stat").First().Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1).Select(long.Parse).ToArray();
        return (ticks.Take(8).Sum() - ticks[3] - ticks[4]) / 100.0;
    }
}
