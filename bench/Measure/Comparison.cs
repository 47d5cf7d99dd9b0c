using System.Diagnostics;

namespace GovEvents.Bench.Measure;

/// <summary>Throughput and latency of one side over all its rounds.</summary>
public sealed record SideStats(double OpsPerSecond, double P50Ms, double P95Ms, double P99Ms, long Ops, double? ClientCpuUs, double? ServerCpuUs)
{
    public static SideStats From(IReadOnlyList<RunResult> runs)
    {
        var ops = runs.Sum(r => r.Ops);
        var seconds = runs.Sum(r => r.Elapsed.TotalSeconds);
        var ticks = runs.SelectMany(r => r.LatencyTicks).ToArray();
        Array.Sort(ticks);
        double? client = runs.All(r => r.Cpu is not null) ? runs.Sum(r => r.Cpu!.Client.TotalMicroseconds) / ops : null;
        double? server = runs.All(r => r.Cpu?.Server is not null) ? runs.Sum(r => r.Cpu!.Server!.Value.TotalMicroseconds) / ops : null;
        return new SideStats(ops / seconds, Percentile(ticks, 0.50), Percentile(ticks, 0.95), Percentile(ticks, 0.99), ops, client, server);
    }

    private static double Percentile(long[] sorted, double p)
    {
        if (sorted.Length == 0) return double.NaN;
        var index = (int)Math.Ceiling(p * sorted.Length) - 1;
        return sorted[Math.Clamp(index, 0, sorted.Length - 1)] * 1000.0 / Stopwatch.Frequency;
    }
}

/// <summary>
/// Raw against store for one scenario at one concurrency. The ratio is the median of the
/// per-round ratios (store ops/s ÷ raw ops/s of the same round), so that noise from other
/// processes on the machine, which hits neighbouring runs alike, cancels out.
/// </summary>
public sealed record Comparison(string Scenario, int Writers, SideStats Raw, SideStats? Store, IReadOnlyList<double> RoundRatios, double Target)
{
    public double? Ratio => RoundRatios.Count == 0 ? null : Median(RoundRatios);

    public static double Median(IReadOnlyList<double> values)
    {
        var sorted = values.Order().ToArray();
        var mid = sorted.Length / 2;
        return sorted.Length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
    }
}
