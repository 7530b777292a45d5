namespace ControlPanel.TestPeers;

/// <summary>Where the repository and the built binaries of its other projects are, seen from a test's output folder.</summary>
public static class RepoPaths
{
    public static string Root { get; } = FindRoot();

    /// <summary>Debug or Release: the configuration the running tests were built with.</summary>
    public static string Configuration { get; } = new DirectoryInfo(AppContext.BaseDirectory).Parent!.Parent!.Name;

    /// <summary>The built executable of a project in the same configuration (e.g. src/ControlPanel, controlpanel).</summary>
    public static string Binary(string projectDirectory, string executable)
    {
        var path = Path.Combine(Root, projectDirectory, "bin", Configuration, "net10.0", "linux-x64", executable);
        return File.Exists(path) ? path : throw new FileNotFoundException($"build {projectDirectory} first: {path} is missing", path);
    }

    static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "ControlPanel.sln"))) return dir.FullName;
        throw new InvalidOperationException("ControlPanel.sln not found above " + AppContext.BaseDirectory);
    }
}
