namespace GovEvents.EventStore;

/// <summary>The stream was not at the expected version (or already existed when it had to be new).</summary>
public sealed class ConcurrencyException(string streamId, ExpectedVersion expected, int? actual, string message)
    : Exception(message)
{
    public string StreamId { get; } = streamId;
    public ExpectedVersion Expected { get; } = expected;
    /// <summary>The version found, when the database told it (-1: started concurrently).</summary>
    public int? Actual { get; } = actual;
}

public sealed class StreamArchivedException(string streamId)
    : Exception($"Stream {streamId} is archived and takes no new events.")
{
    public string StreamId { get; } = streamId;
}
