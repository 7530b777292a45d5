using System.Globalization;
using System.Text;

namespace ControlPanel.Engine.Validation;

/// <summary>
/// Input shown back to the user (in an error, on a terminal or a page) with its invisible characters spelled out: an
/// escape sequence in a crafted value would otherwise move the cursor, recolour or clear the terminal that prints the
/// error, and a bidirectional override would show other text than what was given.
/// </summary>
public static class Printable
{
    public static string Escape(string value)
    {
        if (!value.Any(NeedsEscape)) return value;
        var b = new StringBuilder(value.Length + 8);
        foreach (var c in value)
        {
            if (!NeedsEscape(c)) { b.Append(c); continue; }
            b.Append(c switch
            {
                '\t' => @"\t",
                '\n' => @"\n",
                '\r' => @"\r",
                '\u001b' => @"\e",
                < '\u0100' => $@"\x{(int)c:x2}",
                _ => $@"\u{(int)c:x4}",
            });
        }
        return b.ToString();
    }

    static bool NeedsEscape(char c) => char.IsControl(c) || char.GetUnicodeCategory(c) == UnicodeCategory.Format;
}
