namespace GovEvents.Bench.Measure;

/// <summary>One lever: the same scenario on two GovEvents stores differing in one thing (<see cref="Row"/>: Raw = baseline store, Store = lever store).</summary>
public sealed record LeverRow(string Lever, string Meaning, string Scenario, string Baseline, string Other, Comparison Row);

/// <summary>The HTTP command path: the peak row (interleaved with raw appends) and the paced run at half of its rate.</summary>
public sealed record HttpResult(int Clients, Comparison Peak, double HalfRate, SideStats Half, long CasesDelivered)
{
    public const double TargetRatio = 0.5;
    public const double TargetP99Ms = 25;
}
