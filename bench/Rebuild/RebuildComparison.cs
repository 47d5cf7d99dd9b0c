namespace GovEvents.Bench.Rebuild;

/// <summary>Raw loop against one daemon variant, per round, in events per second.</summary>
public sealed record RebuildRow(RebuildVariant Variant, IReadOnlyList<double> RawEventsPerSecond,
    IReadOnlyList<double> StoreEventsPerSecond, IReadOnlyList<double> RoundRatios, string? Error = null, Stores.DocumentCheck? Documents = null)
{
    public double RawMedian => Measure.Comparison.Median(RawEventsPerSecond);
    public double? StoreMedian => StoreEventsPerSecond.Count == 0 ? null : Measure.Comparison.Median(StoreEventsPerSecond);
    public double? Ratio => RoundRatios.Count == 0 ? null : Measure.Comparison.Median(RoundRatios);
}

/// <summary>The rebuild part of the report.</summary>
public sealed record RebuildComparison(long Events, int Streams, int PageSize, double SeedEventsPerSecond, IReadOnlyList<RebuildRow> Rows)
{
    public const double Target = 0.5;
}
