using System.Security.Cryptography;
using System.Text;

namespace GovEvents.Domain.Cases;

/// <summary>
/// 查询码: the public lookup's credential, kept only as a salted SHA-256 of the code (per-case random
/// salt, hex). A key-stretching hash would not protect a 6-digit code (a million guesses) and would
/// make every anonymous lookup expensive; the salt keeps equal codes of two cases apart.
/// </summary>
public sealed record QueryCodeHash(string Salt, string Hash)
{
    public const int SaltBytes = 16;

    /// <summary>The hash of <paramref name="code"/> under <paramref name="salt"/> (pure: the caller draws the salt).</summary>
    public static QueryCodeHash Of(string code, byte[] salt) =>
        new(Convert.ToHexStringLower(salt), Convert.ToHexStringLower(Digest(code, salt)));

    /// <summary>Whether <paramref name="code"/> is the code, compared in constant time.</summary>
    public bool Matches(string code)
    {
        byte[] salt, expected;
        try { (salt, expected) = (Convert.FromHexString(Salt), Convert.FromHexString(Hash)); }
        catch (FormatException) { return false; }
        return CryptographicOperations.FixedTimeEquals(Digest(code, salt), expected);
    }

    private static byte[] Digest(string code, byte[] salt) => SHA256.HashData([.. salt, .. Encoding.UTF8.GetBytes(code)]);
}
