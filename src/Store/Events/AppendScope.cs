using Marten;
using Marten.Services;
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

    /// <summary>A session in the scope's transaction when one is open (saving does not commit it), else one of its own.</summary>
    public static IDocumentSession OpenSession(IDocumentStore store) => Transaction is { } tx
        ? store.LightweightSession(SessionOptions.ForTransaction(tx))
        : store.LightweightSession();
}

/// <summary>
/// Marten's session factory for the host (Wolverine's handlers take their sessions from it): a
/// session opened inside an <see cref="AppendScope"/> joins the request's transaction.
/// </summary>
public sealed class AppendScopeSessionFactory(IDocumentStore store) : ISessionFactory
{
    public IQuerySession QuerySession() => store.QuerySession();

    public IDocumentSession OpenSession() => AppendScope.OpenSession(store);
}
