using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using GovEvents.Domain.Audit;

namespace GovEvents.Store.TamperEvidence;

/// <summary>
/// The HMAC-SHA256 keys of the seals, from configuration and never in the database: the key
/// <see cref="SigningKeyId"/> signs new seals, every key verifies the seals made with it (keys rotate by adding
/// one and signing with it; an old key stays while its seals are to be verified).
/// </summary>
public sealed class SealKeys
{
    public const int MinimumKeyBytes = 32;

    private readonly IReadOnlyDictionary<string, byte[]> _keys;

    public SealKeys(string signingKeyId, IReadOnlyDictionary<string, byte[]> keys)
    {
        if (!keys.ContainsKey(signingKeyId)) throw new ArgumentException($"No seal key '{signingKeyId}' to sign with.", nameof(signingKeyId));
        if (keys.FirstOrDefault(k => k.Value.Length < MinimumKeyBytes) is { Key: { } shortKey })
            throw new ArgumentException($"Seal key '{shortKey}' is shorter than {MinimumKeyBytes} bytes.", nameof(keys));
        SigningKeyId = signingKeyId;
        _keys = keys.ToDictionary(k => k.Key, k => k.Value.ToArray(), StringComparer.Ordinal);
    }

    public string SigningKeyId { get; }

    public bool Knows(string keyId) => _keys.ContainsKey(keyId);

    /// <summary>The MAC of <paramref name="seal"/> (its own Mac aside) under its key id, which must be configured.</summary>
    public string Mac(HistorySealed seal) =>
        Convert.ToHexStringLower(HMACSHA256.HashData(_keys[seal.KeyId], SealPayload(seal)));

    public bool Verifies(HistorySealed seal) =>
        _keys.TryGetValue(seal.KeyId, out var key)
        && CryptographicOperations.FixedTimeEquals(HMACSHA256.HashData(key, SealPayload(seal)), HexOrEmpty(seal.Mac));

    /// <summary>What the MAC covers: every field of the seal but the MAC, one per line.</summary>
    public static byte[] SealPayload(HistorySealed s) => Encoding.UTF8.GetBytes(string.Join('\n',
        "govevents-seal-v1", s.Number.ToString(CultureInfo.InvariantCulture), s.AfterSequence.ToString(CultureInfo.InvariantCulture),
        s.ThroughSequence.ToString(CultureInfo.InvariantCulture), string.Join(',', s.Missing.Select(m => m.ToString(CultureInfo.InvariantCulture))),
        s.Fingerprints, s.Digest, s.KeyId, s.SealedAt.UtcTicks.ToString(CultureInfo.InvariantCulture)));

    private static byte[] HexOrEmpty(string hex)
    {
        try { return Convert.FromHexString(hex); }
        catch (FormatException) { return []; }
    }
}
