using ControlPanel.Engine.Messages;
using ControlPanel.Engine.Validation;

namespace ControlPanel.Engine.Inventory;

/// <summary>
/// The `--inventory FILE` format: one host a line, whitespace-separated, '#' starts a comment line.
///
///     # name   user@host[:port]          options
///     edge1    ubuntu@192.168.3.51        key=/root/.ssh/edge_ed25519 labels=pi,edge
///     edge2    ubuntu@[fd00::52]:2222     labels=pi,site=paris
///
/// Options are key=PATH (absolute path of the private key) and labels=a,b (each NAME or KEY=VALUE, <see cref="HostLabels"/>). Anything else is refused with the
/// line number, and a password in any spelling is refused outright: hosts are reached with keys only.
/// </summary>
public static class InventoryFile
{
    static readonly MessageTemplate ControlCharacters = new("input.control-characters", "contains control characters");
    static readonly MessageTemplate LineShape = new("input.inventory-line", "must be: NAME user@host[:port] [key=PATH] [labels=a,b]");
    static readonly MessageTemplate PasswordRefused = new("input.inventory-password", "is refused: passwords are never stored; give the host a private key with key=PATH and put its public key in the host's authorized_keys");
    static readonly MessageTemplate OptionShape = new("input.inventory-option", "is not an option of the form key=PATH or labels=a,b");
    static readonly MessageTemplate OptionRepeated = new("input.inventory-option-repeated", "repeats an option");
    static readonly MessageTemplate OptionUnknown = new("input.inventory-option-unknown", "is not a known option (key=PATH, labels=a,b)");
    static readonly MessageTemplate NameTwice = new("input.inventory-name-twice", "is named twice in the inventory");
    static readonly MessageTemplate TargetTwice = new("input.inventory-target-twice", "is already in the inventory under another name");
    static readonly MessageTemplate NoHosts = new("input.inventory-no-hosts", "names no hosts");

    static readonly string[] PasswordWords = ["password", "passwd", "pass", "pwd", "secret", "sshpass", "ansible_password", "ansible_ssh_pass"];

    public static IReadOnlyList<InventoryHost> Load(string path)
    {
        if (!File.Exists(path)) throw new InputException("inventory", path, InputReasons.DoesNotExist.Message());
        return Parse(File.ReadAllText(path), path);
    }

    public static IReadOnlyList<InventoryHost> Parse(string text, string source = "inventory")
    {
        var hosts = new List<InventoryHost>();
        var lines = text.ReplaceLineEndings("\n").Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i].Trim();
            if (line.Length == 0 || line.StartsWith('#')) continue;
            var field = $"{source}:{i + 1}";
            if (line.Any(c => char.IsControl(c) && c != '\t'))
                throw new InputException(field, null, ControlCharacters.Message());
            var tokens = line.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
            if (tokens.Length < 2)
                throw new InputException(field, line, LineShape.Message());
            string? key = null;
            IEnumerable<string>? labels = null;
            foreach (var option in tokens.Skip(2))
            {
                var eq = option.IndexOf('=');
                var name = (eq < 0 ? option : option[..eq]).ToLowerInvariant();
                if (PasswordWords.Contains(name))
                    throw new InputException(field, name, PasswordRefused.Message());
                if (eq < 1) throw new InputException(field, option, OptionShape.Message());
                var value = option[(eq + 1)..];
                switch (name)
                {
                    case "key" when key is null: key = value; break;
                    case "labels" when labels is null: labels = value.Split(','); break;
                    case "key" or "labels": throw new InputException(field, option, OptionRepeated.Message());
                    default: throw new InputException(field, option, OptionUnknown.Message());
                }
            }
            var host = InventoryHost.Create(tokens[0], tokens[1], key, labels, field);
            if (hosts.Any(h => h.Name == host.Name)) throw new InputException(field, host.Name, NameTwice.Message());
            if (hosts.Any(h => h.Target == host.Target)) throw new InputException(field, tokens[1], TargetTwice.Message());
            hosts.Add(host);
        }
        if (hosts.Count == 0) throw new InputException(source, null, NoHosts.Message());
        return hosts;
    }
}
