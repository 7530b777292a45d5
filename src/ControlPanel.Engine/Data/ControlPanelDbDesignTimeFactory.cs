using Microsoft.EntityFrameworkCore.Design;

namespace ControlPanel.Engine.Data;

/// <summary>
/// How `dotnet ef` makes the context, having no data directory of its own. `migrations add` needs the model only and
/// opens no database; commands that do (`migrations list`) take the data directory after `--`, default ./data.
/// </summary>
public sealed class ControlPanelDbDesignTimeFactory : IDesignTimeDbContextFactory<ControlPanelDb>
{
    public ControlPanelDb CreateDbContext(string[] args) => new(ControlPanelDb.Options(args is [var dataDirectory, ..] ? dataDirectory : "data"));
}
