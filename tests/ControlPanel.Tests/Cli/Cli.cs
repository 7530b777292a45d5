using System.Diagnostics;
using ControlPanel.TestPeers;

namespace ControlPanel.Tests.Cli;

/// <summary>Runs the real `controlpanel` binary, as users and scripts do.</summary>
public static class Cli
{
    public static string Binary { get; } = RepoPaths.Binary("src/ControlPanel", "controlpanel");

    public sealed record Result(int ExitCode, string Stdout, string Stderr);

    public static Task<Result> RunAsync(params string[] args) => RunWrappedAsync([], args);

    /// <summary>Runs the binary under a wrapper command (e.g. one that gives it a private mount namespace).</summary>
    public static async Task<Result> RunWrappedAsync(IReadOnlyList<string> wrapper, params string[] args)
    {
        var argv = wrapper.Append(Binary).Concat(args).ToList();
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
