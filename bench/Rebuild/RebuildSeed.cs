using GovEvents.Bench.Scenarios;
using GovEvents.Bench.Stores;
using GovEvents.Bench.Workload;
using GovEvents.Store;

namespace GovEvents.Bench.Rebuild;

/// <summary>
/// Writes the rebuild's events through <see cref="EventLog"/> (tamper evidence included): streams of 20 events, in cohorts of 1,000
/// cases that progress together (one event each per round), so that the global feed interleaves
/// streams the way a busy service centre does. Each call appends to 100 streams in one transaction.
/// </summary>
public static class RebuildSeed
{
    public const int EventsPerStream = 20;
    private const int Cohort = 1_000;
    private const int StreamsPerCall = 100;

    public static string StreamId(int k) => $"rb-{k:000000}";

    /// <summary>The document each of the first <paramref name="streams"/> streams must rebuild to (id, version, whole state).</summary>
    public static IReadOnlyDictionary<string, CaseSnapshot> Expected(int streams) =>
        Enumerable.Range(0, streams).ToDictionary(StreamId, k => CaseSnapshot.Expected(StreamId(k), k, EventsPerStream));

    public static async Task SeedAsync(EventLog store, int events, CancellationToken ct)
    {
        var streams = events / EventsPerStream;
        var cohorts = Enumerable.Range(0, (streams + Cohort - 1) / Cohort).ToArray();
        await Parallel.ForEachAsync(cohorts, new ParallelOptions { MaxDegreeOfParallelism = 4, CancellationToken = ct }, async (c, token) =>
        {
            var ids = Enumerable.Range(c * Cohort, Math.Min(Cohort, streams - c * Cohort)).ToArray();
            for (var n = 1; n <= EventsPerStream; n++)
                foreach (var chunk in ids.Chunk(StreamsPerCall))
                    await store.AppendAsync(chunk.Select(k => new StreamAppend(StreamId(k), ExpectedVersion.At(n - 1),
                        [CaseSamples.Event(StreamId(k), k, n)])).ToList(), token);
        });
    }
}
