using System.Text.Json;
using ControlPanel.Cli;
using ControlPanel.Composition;
using ControlPanel.Engine.Nginx;
using ControlPanel.Engine.Plans;
using ControlPanel.Resources;
using ControlPanel.TestPanel;

// The product's CLI and panel, verb for verb, with two options of the tests taken out before the product parses the rest:
//   --fixture-plans DIR   FIXTURE install and uninstall plans (FixturePlans.cs) instead of the stack's
//   --nginx-target FILE   a JSON NginxTarget: the panel's nginx in a private prefix (the proxy page's tests)
// A re-run finds the fixture plans its run recorded without the option.
var rest = args.ToList();
var fixtures = TestPanelArgs.Take(rest, "--fixture-plans") is { } dir ? Path.GetFullPath(dir) : null;
var nginx = TestPanelArgs.Take(rest, "--nginx-target") is { } file
    ? JsonSerializer.Deserialize<NginxTarget>(File.ReadAllText(file)) ?? throw new InvalidDataException(file + " holds no NginxTarget")
    : new NginxTarget();
S.AddEngineTemplates(FixturePlans.Chinese);
var plans = new PlanSource(nginx,
    target => fixtures is null ? StackPlans.Catalog(target) : FixturePlans.Catalog(fixtures, target),
    name => name == StackPlans.CatalogName ? StackPlans.Catalog(nginx) : FixturePlans.Named(name, nginx),
    fixtures is null ? null : FixturePlans.InUse.With(("dir", fixtures)));
return await CliApp.RunAsync([.. rest], plans);
