using GovEvents.Store;

namespace GovEvents.Bench.Scenarios;

/// <summary>What both sides of a scenario use alike.</summary>
public static class Shared
{
    /// <summary>The raw side's stream type column.</summary>
    public const string StreamType = "case";

    /// <summary>The metadata of a window clerk's request: GovEvents takes it from the ambient context (correlation id in Marten's column, the rest in headers), raw serializes it.</summary>
    public static readonly EventMetadata Metadata = new()
    {
        ActorId = "staff-0231", ActorKind = ActorKind.Staff, Role = "acceptance-clerk", Department = "yuexiu-market-regulation",
        Window = "W12", CorrelationId = "8f6c1f9a-2b7e-4d1c-9a51-3c2d6e7f8a90",
    };

    private static long _next;

    /// <summary>A stream id no run has used yet (both sides draw from the same counter).</summary>
    public static string NewStreamId(string prefix) => $"{prefix}-{Interlocked.Increment(ref _next):0000000}";

    /// <summary>A stable seed for a stream id so that its sample events vary like real ones.</summary>
    public static int Seed(string streamId) => (int)((uint)streamId.GetHashCode() % 1_000_000);
}
