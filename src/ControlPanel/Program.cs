using ControlPanel.Cli;
using ControlPanel.Composition;

// One binary, two faces: `controlpanel serve` is the panel, every other verb is the CLI.
return await CliApp.RunAsync(args, PlanSource.Stack);
