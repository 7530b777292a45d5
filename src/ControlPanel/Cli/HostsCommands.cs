using System.CommandLine;
using System.Text.Json;
using ControlPanel.Composition;
using ControlPanel.Engine.Data;
using ControlPanel.Engine.Inventory;
using ControlPanel.Engine.Messages;
using ControlPanel.Engine.Validation;

namespace ControlPanel.Cli;

/// <summary>`hosts`: the inventory of SSH hosts (keys only, never passwords) and host key pinning on first contact.</summary>
public static class HostsCommands
{
    static readonly MessageTemplate PasswordRefused = new("input.password-refused", "is refused: passwords are never stored; use --key PATH and put its public key in the host's authorized_keys");
    static readonly MessageTemplate FingerprintRequired = new("input.fingerprint-required", "is required to trust a host key without confirming it on a terminal (a key is never pinned unseen)");

    static readonly Argument<string> Name = new("NAME") { Description = "Short name of the host in the inventory (edge1)" };

    public static Command Create() => new("hosts", "The inventory of hosts reached over SSH, and their pinned host keys")
    {
        Add(), List(), Trust(), Remove(), Import(),
    };

    static Command Add()
    {
        var address = new Argument<string>("ADDRESS") { Description = "user@host[:port]" };
        var key = new Option<string?>("--key") { Description = "Absolute path of the private key for this host (default: DATA/ssh/id_ed25519, then ssh's own)" };
        var labels = new Option<string[]>("--label") { Description = "A label (group) for the host; may repeat" };
        // Not a real option: named so that trying it gets a clear answer instead of "unrecognized".
        var password = new Option<string?>("--password") { Hidden = true };
        var command = new Command("add", "Add a host to the inventory (then `hosts trust NAME` pins its host key)") { Name, address, key, labels, password };
        command.SetAction(async (parse, ct) =>
        {
            if (parse.GetResult(password) is not null)
                throw new InputException("--password", null, PasswordRefused.Message());
            var data = Setup(parse);
            var host = InventoryHost.Create(parse.GetValue(Name)!, parse.GetValue(address)!, parse.GetValue(key), parse.GetValue(labels), "NAME");
            await new InventoryStore(data).AddAsync(host, ct);
            Console.WriteLine($"added {host.Name}: {host.Spec}{(host.KeyPath is null ? "" : " key " + host.KeyPath)}");
            Console.WriteLine($"its host key is not trusted yet: controlpanel hosts trust {host.Name}");
            return ExitCodes.Success;
        });
        return command;
    }

    static Command List()
    {
        var command = new Command("list", "List the inventory") { CommonOptions.Json };
        command.SetAction(async (parse, ct) =>
        {
            var hosts = await new InventoryStore(Setup(parse)).ListAsync(ct);
            if (parse.GetValue(CommonOptions.Json))
            {
                Console.WriteLine(JsonSerializer.Serialize(hosts.Select(Describe), JsonOut.Options));
                return ExitCodes.Success;
            }
            Console.WriteLine($"{"NAME",-16} {"ADDRESS",-32} {"KEY",-28} {"LABELS",-14} HOST KEY");
            foreach (var h in hosts)
                Console.WriteLine($"{h.Name,-16} {InventoryStore.ToHost(h).Spec,-32} {h.KeyPath ?? "(default)",-28} {h.Labels,-14} {h.PinnedFingerprints ?? "NOT TRUSTED (controlpanel hosts trust " + h.Name + ")"}");
            return ExitCodes.Success;
        });
        return command;
    }

    static Command Trust()
    {
        var yes = new Option<bool>("--yes", "-y") { Description = "Do not ask; needs --fingerprint" };
        var fingerprint = new Option<string?>("--fingerprint") { Description = "SHA256:... fingerprint checked out of band (on the host: ssh-keygen -lf /etc/ssh/ssh_host_ed25519_key.pub); only the key matching it is pinned" };
        var command = new Command("trust", "Show the host's key fingerprints, pin them once you confirm, and sign in once as a run will (exit 6 if that fails)") { Name, yes, fingerprint };
        command.SetAction(async (parse, ct) =>
        {
            var data = Setup(parse);
            var host = InventoryStore.ToHost(await new InventoryStore(data).GetAsync("NAME", parse.GetValue(Name)!, ct));
            var expected = parse.GetValue(fingerprint);
            if (expected is null && (parse.GetValue(yes) || Console.IsInputRedirected))
                throw new InputException("--fingerprint", null, FingerprintRequired.Message());
            var trust = new HostTrust(data);
            var offer = await trust.ScanAsync(host, ct);
            Console.WriteLine($"{host.Name} ({host.Target.Address} port {host.Target.Port}) offers:");
            foreach (var k in offer.Offered) Console.WriteLine($"  {k.Type,-20} {k.Fingerprint}");
            if (offer.State == PinState.Pinned)
                Console.WriteLine("already pinned: these keys match DATA/ssh/known_hosts");
            else
            {
                if (expected is null)
                {
                    Console.Write("Compare with the host's own fingerprints (ssh-keygen -lf /etc/ssh/ssh_host_ed25519_key.pub on its console). Pin these keys? [y/N] ");
                    if (Console.ReadLine()?.Trim().ToLowerInvariant() is not ("y" or "yes"))
                    {
                        Console.WriteLine("nothing pinned");
                        return ExitCodes.BadInput;
                    }
                }
                var pinned = await trust.ConfirmAsync(offer, expected, ct);
                Console.WriteLine($"pinned {string.Join(", ", pinned.Select(k => k.Fingerprint))} for {host.Name}");
            }
            // Sign in once as a run will: a wrong key or user shows now, not in the middle of a batch.
            await using var target = EngineSetup.Hosts(data).Create(host.Spec);
            var check = await ConnectionCheck.RunAsync(target, host.KeyPath ?? "(default)", ct);
            if (check.Ok) Console.WriteLine($"signed in: {check.System}");
            else Console.Error.WriteLine($"{host.Name}: {Printable.Escape(check.Failure!.Text)}");
            return check.Ok ? ExitCodes.Success : ExitCodes.SignInFailed;
        });
        return command;
    }

    static Command Remove()
    {
        var command = new Command("remove", "Remove a host from the inventory and forget its pinned key") { Name };
        command.SetAction(async (parse, ct) =>
        {
            var name = parse.GetValue(Name)!;
            if (!await new InventoryStore(Setup(parse)).RemoveAsync(name, ct))
                throw new InputException("NAME", name, InputReasons.NotInInventory.Message());
            Console.WriteLine($"removed {name}");
            return ExitCodes.Success;
        });
        return command;
    }

    static Command Import()
    {
        var file = new Argument<string>("FILE") { Description = "Inventory file: NAME user@host[:port] [key=PATH] [labels=a,b] per line" };
        var command = new Command("import", "Add the hosts of an inventory file (hosts already there must be the same)") { file };
        command.SetAction(async (parse, ct) =>
        {
            var hosts = InventoryFile.Load(parse.GetValue(file)!);
            var added = await new InventoryStore(Setup(parse)).ImportAsync(hosts, ct);
            Console.WriteLine($"{added} added, {hosts.Count - added} already there");
            return ExitCodes.Success;
        });
        return command;
    }

    static string Setup(ParseResult parse) => EngineSetup.Prepare(CommonOptions.DataDirectory(parse));

    static object Describe(HostRecord h) => new
    {
        h.Name, h.User, h.Address, h.Port, h.KeyPath,
        Labels = h.Labels.Split(',', StringSplitOptions.RemoveEmptyEntries),
        Trusted = h.PinnedFingerprints is not null,
        Fingerprints = h.PinnedFingerprints?.Split(' ') ?? [],
        h.PinnedAt,
    };
}
