using System.Security.Cryptography;
using System.Text;

namespace GovEvents.Domain.Cases;

/// <summary>
/// 查询码, the public lookup's credential: ten characters of Crockford's base32 (50 bits: guessing is
/// hopeless with lookups rate-limited), given out as "7K3QD-2M9XA"; read back case-insensitively, with
/// or without the dash, O read as 0 and I or L as 1 (what people mishear or mistype at a window).
/// </summary>
public static class QueryCode
{
    public const int Length = 10;

    /// <summary>Crockford's base32: no I, L, O or U.</summary>
    public const string Alphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

    /// <summary>The code of the symbols <paramref name="draw"/> gives (each 0–31), grouped for reading out.</summary>
    public static string Format(Func<int, int> draw)
    {
        var symbols = Enumerable.Range(0, Length).Select(_ => Alphabet[draw(Alphabet.Length)]).ToArray();
        return $"{new string(symbols, 0, Length / 2)}-{new string(symbols, Length / 2, Length / 2)}";
    }

    /// <summary>The form a code is hashed and compared in: upper case, no separators, misread letters mapped.</summary>
    public static string Normalize(string code)
    {
        var chars = code.Where(c => c is not ('-' or ' ')).Select(c => char.ToUpperInvariant(c) switch
        {
            'O' => '0',
            'I' or 'L' => '1',
            var other => other,
        });
        return new string(chars.ToArray());
    }
}

/// <summary>
/// A query code kept only as a salted SHA-256 of its normalized form (per-case random salt, hex); the
/// salt keeps equal codes of two cases apart. Codes of six digits given out before the longer ones
/// still verify (a digit normalizes to itself).
/// </summary>
public sealed record QueryCodeHash(string Salt, string Hash)
{
    public const int SaltBytes = 16;

    /// <summary>The hash of <paramref name="code"/> under <paramref name="salt"/> (pure: the caller draws the salt).</summary>
    public static QueryCodeHash Of(string code, byte[] salt) =>
        new(Convert.ToHexStringLower(salt), Convert.ToHexStringLower(Digest(QueryCode.Normalize(code), salt)));

    /// <summary>Whether <paramref name="code"/> is the code, compared in constant time.</summary>
    public bool Matches(string code)
    {
        byte[] salt, expected;
        try { (salt, expected) = (Convert.FromHexString(Salt), Convert.FromHexString(Hash)); }
        catch (FormatException) { return false; }
        return CryptographicOperations.FixedTimeEquals(Digest(QueryCode.Normalize(code), salt), expected);
    }

    private static byte[] Digest(string code, byte[] salt) => SHA256.HashData([.. salt, .. Encoding.UTF8.GetBytes(code)]);
}
