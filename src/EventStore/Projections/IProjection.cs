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
}
