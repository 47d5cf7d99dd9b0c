namespace GovEvents.Bench.Rebuild;

/// <summary>Raw loop against the daemon, per round, in events per second.</summary>
public sealed record RebuildComparison(long Events, int Streams, int PageSize, IReadOnlyList<double> RawEventsPerSecond,
    IReadOnlyList<double> StoreEventsPerSecond, IReadOnlyList<double> RoundRatios, string? DocumentsCheck)
{
    public const double Target = 0.7;

    public double RawMedian => Measure.Comparison.Median(RawEventsPerSecond);
    public double? StoreMedian => StoreEventsPerSecond.Count == 0 ? null : Measure.Comparison.Median(StoreEventsPerSecond);
    public double? Ratio => RoundRatios.Count == 0 ? null : Measure.Comparison.Median(RoundRatios);
}
