using ControlPanel.Benchmarks;

IBenchmark[] all =
[
    new ServeStartupBenchmark(),
    new LogThroughputBenchmark(),
    new AcmeVsCertbotBenchmark(),
    new PanelLiveLogBenchmark(),
    new PanelJobsBenchmark(),
    new FiguresBenchmark(),
    new NodesBenchmark(),
];

var selected = args.Length == 0 || args[0] == "all" ? all : all.Where(b => b.Name == args[0]).ToArray();
if (selected.Length == 0)
{
    Console.Error.WriteLine("usage: ControlPanel.Benchmarks all|" + string.Join("|", all.Select(b => b.Name)));
    foreach (var b in all) Console.Error.WriteLine($"  {b.Name,-12} {b.Description}");
    return 2;
}
foreach (var b in selected)
{
    Console.WriteLine($"== benchmark {b.Name}: {b.Description}");
    await b.RunAsync(args.Skip(1).ToArray());
}
return 0;
