using Npgsql;

namespace GovEvents.Store;

/// <summary>
/// A transaction that every append of the current request joins (it flows with the async call
/// chain, like <see cref="EventContext"/>). Whoever set it commits it: the API does, once the
/// response to an Idempotency-Key is stored in the same transaction as the request's events.
/// </summary>
public static class AppendScope
{
    private static readonly AsyncLocal<NpgsqlTransaction?> CurrentValue = new();

    public static NpgsqlTransaction? Transaction => CurrentValue.Value;

    public static IDisposable Use(NpgsqlTransaction transaction)
    {
        var previous = CurrentValue.Value;
        CurrentValue.Value = transaction;
        return new Scope(previous);
    }

    private sealed class Scope(NpgsqlTransaction? previous) : IDisposable
    {
        public void Dispose() => CurrentValue.Value = previous;
    }
}
