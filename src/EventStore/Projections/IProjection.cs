using Npgsql;

namespace GovEvents.EventStore;

/// <summary>
/// A read model built from events. The same projection can run inline (in the appending
/// transaction) or async (in the daemon); either way it writes only through <see cref="ProjectionContext"/>
/// so that a rebuild can aim it at shadow tables.
/// </summary>
public interface IProjection
{
    /// <summary>Stable name: the checkpoint key and the prefix of its tables.</summary>
    string Name { get; }

    /// <summary>The tables it owns. Each CreateSql uses {table} for the (live or shadow) table name.</summary>
    IReadOnlyList<ProjectionTable> Tables { get; }

    /// <summary>
    /// Applies a batch of events, in (transaction, sequence) order, inside the context's transaction.
    /// Must be deterministic: time from the events, never the clock.
    /// </summary>
    Task ApplyAsync(IReadOnlyList<StoredEvent> events, ProjectionContext context, CancellationToken ct);
}

/// <summary>A table owned by a projection; <paramref name="CreateSql"/> uses {table} for its qualified name.</summary>
public sealed record ProjectionTable(string Name, string CreateSql);

/// <summary>Where a projection writes: a connection, its transaction and the names of its tables.</summary>
public sealed class ProjectionContext(
    NpgsqlConnection connection, NpgsqlTransaction transaction, string schema, EventSerializer serializer,
    Func<string, string> tableName)
{
    public NpgsqlConnection Connection { get; } = connection;
    public NpgsqlTransaction Transaction { get; } = transaction;
    public string Schema { get; } = schema;
    public EventSerializer Serializer { get; } = serializer;

    /// <summary>The qualified name to write a logical table to (the shadow copy during a rebuild).</summary>
    public string Table(string logicalName) => tableName(logicalName);

    public NpgsqlCommand Command(string sql)
    {
        var cmd = Connection.CreateCommand();
        cmd.CommandText = sql;
        cmd.Transaction = Transaction;
        return cmd;
    }

    /// <summary>Qualified name of the live table: "{schema}.{logicalName}".</summary>
    public static string LiveTable(string schema, string logicalName) => $"{schema}.{logicalName}";

    /// <summary>
    /// Set while a rebuild replays history: the projection is then the only writer of its (shadow)
    /// tables, which started empty, and may keep what it wrote in memory across the rebuild's batches.
    /// </summary>
    public RebuildScope? Rebuild { get; init; }

    private List<Action>? _onCommitted;

    /// <summary>
    /// Runs <paramref name="action"/> once the daemon has committed this context's transaction; never
    /// when it rolls back (and not for inline projections). For memory that must match what is stored.
    /// </summary>
    public void OnCommitted(Action action) => (_onCommitted ??= []).Add(action);

    internal void RaiseCommitted()
    {
        if (_onCommitted is null) return;
        foreach (var action in _onCommitted) action();
        _onCommitted = null;
    }
}

/// <summary>Memory that lives for one rebuild, shared by all of its transactions.</summary>
public sealed class RebuildScope
{
    /// <summary>Per-projection state, keyed by whatever the projection chooses (its name, typically).</summary>
    public Dictionary<string, object> Items { get; } = new(StringComparer.Ordinal);
}
