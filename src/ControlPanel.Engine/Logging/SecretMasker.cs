namespace ControlPanel.Engine.Logging;

/// <summary>Replaces every known secret value with a mask before a line is stored or shown.</summary>
public sealed class SecretMasker
{
    public const string Mask = "********";
    readonly string[] secrets;

    public SecretMasker(IEnumerable<string> secrets) =>
        // Longest first, so a secret that contains another is masked whole. Very short values would mask noise.
        this.secrets = secrets.Where(s => s.Length >= 4).Distinct().OrderByDescending(s => s.Length).ToArray();

    public static SecretMasker None { get; } = new([]);

    public string Apply(string text)
    {
        foreach (var s in secrets)
            if (text.Contains(s, StringComparison.Ordinal)) text = text.Replace(s, Mask, StringComparison.Ordinal);
        return text;
    }
}
