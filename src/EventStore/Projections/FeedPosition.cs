namespace GovEvents.EventStore;

/// <summary>
/// A place in the daemon's feed, which runs in (transaction id, sequence) order: every event of a
/// transaction below the snapshot's xmin is final, so nothing can ever appear before a checkpoint.
/// </summary>
internal readonly record struct FeedPosition(ulong Tx, long Seq)
{
    public static readonly FeedPosition Start = new(0, 0);

    public static FeedPosition Of(StoredEvent e) => new(e.TransactionId, e.Sequence);
}
