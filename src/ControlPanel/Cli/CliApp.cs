using System.CommandLine;
using ControlPanel.Composition;
using ControlPanel.Engine.Data;
using ControlPanel.Engine.Inventory;
using ControlPanel.Engine.Runs;
using ControlPanel.Engine.Validation;

namespace ControlPanel.Cli;

/// <summary>The command tree. Each verb group lives in its own file and only parses, validates and calls the engine.</summary>
public static class CliApp
{
    /// <param name="plans">The plans install, uninstall, re-run and the panel use (the stack's; the test panel under tests/ brings fixture plans).</param>
    public static async Task<int> RunAsync(string[] args, PlanSource plans)
    {
        var root = new RootCommand("ControlPanel: installs and manages the faasd stack, certificates and nginx on this or remote hosts")
        {
            CommonOptions.Data,
            ServeCommand.Create(plans),
            InstallCommands.Install(plans),
            InstallCommands.Uninstall(plans),
            RunCommands.Status(),
            RunCommands.Runs(),
            RunCommands.Logs(),
            RunCommands.Rerun(plans),
            RunCommands.Cancel(),
            ProxyCommands.Create(),
            CertCommands.Create(),
            HostsCommands.Create(),
            UsersCommands.Create(),
            MirrorCommands.Create(),
            CacheCommands.Create(),
            DatabaseCommands.Create(),
        };
        var parse = root.Parse(args);
        if (parse.Errors.Count > 0)
        {
            // The parser quotes the tokens it did not understand as they were typed.
            foreach (var e in parse.Errors) Console.Error.WriteLine(Printable.Escape(e.Message));
            return ExitCodes.BadInput;
        }
        try
        {
            // Our own handlers give exit codes 2 and 3; Ctrl-C is handled by the verbs (cancel the run, or host shutdown).
            return await parse.InvokeAsync(new InvocationConfiguration { EnableDefaultExceptionHandler = false, ProcessTerminationTimeout = null });
        }
        catch (InputException e)
        {
            // Every wrong option at once, one line each: a script's author fixes them in one go.
            foreach (var error in e.Rename(CliFlags.Of).All) Console.Error.WriteLine(error.Message);
            return ExitCodes.BadInput;
        }
        catch (HostBusyException e)
        {
            Console.Error.WriteLine(e.Message);
            return ExitCodes.HostBusy;
        }
        catch (HostKeyException e)
        {
            Console.Error.WriteLine(e.Message);
            return ExitCodes.HostKeyRefused;
        }
        catch (DatabaseRefusedException e)
        {
            Console.Error.WriteLine(e.Message);
            return ExitCodes.DatabaseRefused;
        }
        catch (Npgsql.NpgsqlException e)
        {
            // The data directory's PostgreSQL could not be reached or refused us; its URL (password left out) says which.
            var data = CommonOptions.DataDirectory(parse);
            Console.Error.WriteLine($"database {DatabaseLocation.Of(data).Display}: {Printable.Escape(e.Message)}");
            return ExitCodes.DatabaseRefused;
        }
        catch (KeyNotFoundException e)
        {
            Console.Error.WriteLine(Printable.Escape(e.Message));
            return ExitCodes.BadInput;
        }
    }
}
