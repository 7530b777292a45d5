using System.Diagnostics;
using ControlPanel.TestPeers;

namespace ControlPanel.Tests.Cli;

/// <summary>Runs the real `controlpanel` binary, as users and scripts do.</summary>
public static class Cli
{
    public static string Binary { get; } = RepoPaths.Binary("src/ControlPanel", "controlpanel");

    /// <summary>The test panel: the same CLI with the FIXTURE plans behind its `--fixture-plans DIR` (tests/ControlPanel.TestPanel).</summary>
    public static string TestPanel { get; } = RepoPaths.Binary("tests/ControlPanel.TestPanel", "controlpanel-test");

    public sealed record Result(int ExitCode, string Stdout, string Stderr);

    public static Task<Result> RunAsync(params string[] args) => RunWrappedAsync([], args);

    /// <summary>Runs the test panel's CLI (fixture plans).</summary>
    public static Task<Result> RunTestPanelAsync(params string[] args) => RunBinaryAsync(TestPanel, [], args);

    /// <summary>Runs the binary under a wrapper command (e.g. one that gives it a private mount namespace).</summary>
    public static Task<Result> RunWrappedAsync(IReadOnlyList<string> wrapper, params string[] args) => RunBinaryAsync(Binary, wrapper, args);

    static async Task<Result> RunBinaryAsync(string binary, IReadOnlyList<string> wrapper, string[] args)
    {
        var argv = wrapper.Append(binary).Concat(args).ToList();
        var psi = new ProcessStartInfo(argv[0]) { RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true };
        foreach (var a in argv.Skip(1)) psi.ArgumentList.Add(a);
        using var p = Process.Start(psi)!;
        p.StandardInput.Close();
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await p.WaitForExitAsync(timeout.Token);
        return new Result(p.ExitCode, await stdout, await stderr);
    }
}
