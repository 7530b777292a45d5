using ControlPanel.Cli;
using ControlPanel.Engine.Data;
using ControlPanel.Engine.Stages;

namespace ControlPanel.Tests.Cli;

/// <summary>A stage's error holds a command's own output: printed on a terminal, its escape sequences are spelled out, never obeyed.</summary>
public sealed class RunPrinterTests
{
    [Fact]
    public void A_stage_error_with_escape_codes_prints_them_escaped()
    {
        var stage = new StageRunRecord
        {
            Index = 2, Name = "faasd", Title = "faasd", State = RunState.Failed, Attempts = 1, LogFile = "/dev/null",
            Error = "exit 1: \u001b[2J\u001b[31mfake prompt\u202e",
        };
        var line = RunPrinter.StageLine(stage, 7);
        Assert.DoesNotContain('\u001b', line);
        Assert.DoesNotContain('\u202e', line);
        Assert.EndsWith(@"exit 1: \e[2J\e[31mfake prompt\u202e", line);
    }
}
