using System.Text.RegularExpressions;
using ControlPanel.TestPeers;

namespace ControlPanel.Engine.Tests.Architecture;

/// <summary>
/// The engine's folders import downwards only, in the layers the README draws; the faces (Cli, Web and its pages)
/// reach the database only through the engine, and the web app does not import the CLI. Read from the sources, so a
/// new folder or an upward import fails here first.
/// </summary>
public sealed partial class LayerTests
{
    /// <summary>Bottom first. A folder may import folders of lower layers only.</summary>
    static readonly string[][] EngineLayers =
    [
        ["Messages"],
        ["Validation", "Processes", "Files"],
        ["Hosts", "Logging"],
        ["Stages"],
        ["Data"],
        ["Accounts", "Audit", "Settings", "HostOps"],
        ["HostConfig", "Artifacts"],
        ["Acme", "Nginx", "Registry"],
        ["Stack"],
        ["RuntimeProxy", "Cache", "Snapshots"],
        ["Plans"],
        ["Inventory"],
        ["Runs"],
        ["Jobs"],
    ];

    static string Engine => Path.Combine(RepoPaths.Root, "src", "ControlPanel.Engine");
    static string App => Path.Combine(RepoPaths.Root, "src", "ControlPanel");

    static IEnumerable<string> Sources(string dir) =>
        Directory.EnumerateFiles(dir, "*.*", SearchOption.AllDirectories)
            .Where(f => (f.EndsWith(".cs") || f.EndsWith(".razor")) && !f.Contains("/bin/") && !f.Contains("/obj/") && !f.Contains("/Migrations/"));

    [Fact]
    public void Every_engine_folder_has_a_layer()
    {
        var folders = Directory.GetDirectories(Engine).Select(Path.GetFileName).Where(f => f is not ("bin" or "obj")).ToList();
        Assert.Empty(folders.Except(EngineLayers.SelectMany(l => l)));
        Assert.Empty(EngineLayers.SelectMany(l => l).Except(folders!));
    }

    [Fact]
    public void Engine_folders_import_only_folders_below_them()
    {
        var rank = EngineLayers.SelectMany((l, i) => l.Select(f => (f, i))).ToDictionary(x => x.f, x => x.i);
        var upward = new List<string>();
        foreach (var file in Sources(Engine))
        {
            var folder = Path.GetRelativePath(Engine, file).Split('/')[0];
            if (!rank.TryGetValue(folder, out var own)) continue;
            foreach (Match m in EngineReference().Matches(File.ReadAllText(file)))
            {
                var target = m.Groups[1].Value;
                if (target != folder && rank.TryGetValue(target, out var theirs) && theirs >= own)
                    upward.Add($"{Path.GetRelativePath(Engine, file)} imports {target}");
            }
        }
        Assert.Empty(upward.Distinct());
    }

    [Fact]
    public void The_engine_knows_no_AspNet()
    {
        Assert.DoesNotContain("AspNetCore", File.ReadAllText(Path.Combine(Engine, "ControlPanel.Engine.csproj")));
        Assert.Empty(Sources(Engine).Where(f => File.ReadAllText(f).Contains("Microsoft.AspNetCore")));
    }

    [Fact]
    public void The_faces_reach_the_database_through_the_engine_and_the_web_app_does_not_import_the_CLI()
    {
        var composition = Path.Combine(App, "Composition");
        Assert.Empty(Sources(App).Where(f => !f.StartsWith(composition) && Regex.IsMatch(File.ReadAllText(f), @"\bControlPanelDb\b|Microsoft\.EntityFrameworkCore;"))
            .Select(f => Path.GetRelativePath(App, f)));
        var web = new[] { "Web", "Components", "Model", "Resources" }.Select(d => Path.Combine(App, d));
        Assert.Empty(web.SelectMany(Sources).Where(f => File.ReadAllText(f).Contains("ControlPanel.Cli")).Select(f => Path.GetRelativePath(App, f)));
    }

    [GeneratedRegex(@"ControlPanel\.Engine\.(\w+)")]
    private static partial Regex EngineReference();
}
