using System.Security.Cryptography;

namespace ControlPanel.Engine.Validation;

/// <summary>Random passwords and tokens: never a shipped default.</summary>
public static class PasswordGenerator
{
    const string Alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789";

    public static string Create(int length = 24) => RandomNumberGenerator.GetString(Alphabet, length);
}
