using Npgsql;

namespace GovEvents.Store;

/// <summary>
/// A transaction that every append of the current request joins (it flows with the async call
/// chain, like <see cref="EventContext"/>). Whoever set it commits it: the API does, once the
/// response to an Idempotency-Key is stored in the same transaction as the request's events.
/// </summary>
public static class AppendScope
{
    private static readonly Ambient<NpgsqlTransaction> Ambient = new();

    public static NpgsqlTransaction? Transaction => Ambient.Value;

    public static IDisposable Use(NpgsqlTransaction transaction) => Ambient.Use(transaction);
}
