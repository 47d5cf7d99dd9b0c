using System.Globalization;
using System.Text;
using GovEvents.Domain.Audit;
using GovEvents.Store.Serialization;

namespace GovEvents.Store.TamperEvidence;

/// <summary>
/// Seals exported to a directory, one file per seal (<c>seal-0000000001.json</c>, the event's JSON), for an
/// archive outside the database to collect; the verifier reads them back to notice a seal the database lost.
/// A file once written is never rewritten.
/// </summary>
public sealed class SealArchive(string directory)
{
    private static readonly NewtonsoftSerializer Json = new();

    public string Directory { get; } = directory;

    public static string FileName(long number) => $"seal-{number.ToString("D10", CultureInfo.InvariantCulture)}.json";

    /// <summary>The highest seal number exported, 0 when none.</summary>
    public long LastNumber() =>
        Files().Select(f => long.TryParse(Path.GetFileNameWithoutExtension(f)["seal-".Length..], NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : 0)
            .DefaultIfEmpty(0).Max();

    public void Write(HistorySealed seal)
    {
        System.IO.Directory.CreateDirectory(Directory);
        var path = Path.Combine(Directory, FileName(seal.Number));
        if (File.Exists(path)) return;
        // Written whole under a name of its own, then moved: another process may be exporting the same seal.
        var temporary = $"{path}.{Guid.NewGuid():N}.tmp";
        File.WriteAllText(temporary, Json.ToJson(seal), new UTF8Encoding(false));
        try
        {
            File.Move(temporary, path, overwrite: false);
        }
        catch (IOException) when (File.Exists(path))
        {
            File.Delete(temporary);
        }
    }

    /// <summary>Every exported seal that reads as one (a file that does not is no seal, and is left out).</summary>
    public IReadOnlyList<HistorySealed> ReadAll()
    {
        var seals = new List<HistorySealed>();
        foreach (var file in Files())
        {
            try
            {
                using var stream = File.OpenRead(file);
                if (Json.FromJson<HistorySealed>(stream) is { Fingerprints: not null, Digest: not null, Mac: not null } seal) seals.Add(seal);
            }
            catch (Exception e) when (e is Newtonsoft.Json.JsonException or IOException or ArgumentException or InvalidCastException)
            {
            }
        }
        return seals;
    }

    private IEnumerable<string> Files() =>
        System.IO.Directory.Exists(Directory) ? System.IO.Directory.EnumerateFiles(Directory, "seal-*.json") : [];
}
