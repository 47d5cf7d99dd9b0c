using GovEvents.Bench.Workload;
using GovEvents.EventStore;
using Npgsql;

namespace GovEvents.Bench;

/// <summary>
/// The benchmark's own database: dropped and created on the admin server, migrated by the store's
/// <see cref="SchemaMigrator"/>, plus a schema <c>bench_raw</c> whose tables have the store's shape
/// (same columns, keys, unique and foreign-key constraints, indexes) for the raw Npgsql baselines.
/// It has neither the append function nor the hash chain: that is what raw PostgreSQL costs.
/// </summary>
public sealed class BenchDatabase : IAsyncDisposable
{
    public const string Name = "govevents_bench";
    public const string RawSchema = "bench_raw";
    public const int PoolSize = 40; // 16 writers, the store's notifier, preparation and slack

    private readonly string _admin;

    public const string RawApplication = "govevents-bench-raw";
    public const string StoreApplication = "govevents-bench-store";

    private BenchDatabase(string admin, string connectionString)
    {
        _admin = admin;
        ConnectionString = connectionString;
        Raw = NpgsqlDataSource.Create(new NpgsqlConnectionStringBuilder(connectionString) { ApplicationName = RawApplication }.ConnectionString);
        StoreData = NpgsqlDataSource.Create(new NpgsqlConnectionStringBuilder(connectionString) { ApplicationName = StoreApplication }.ConnectionString);
    }

    public string ConnectionString { get; }

    /// <summary>Pool of the raw baselines.</summary>
    public NpgsqlDataSource Raw { get; }

    /// <summary>Pool of the store (separate, same size, so neither side waits on the other's connections).</summary>
    public NpgsqlDataSource StoreData { get; }

    public PgEventStore Store { get; private set; } = null!;

    public static async Task<BenchDatabase> CreateAsync(string admin, IReadOnlyList<string> experiments, CancellationToken ct)
    {
        await using (var conn = new NpgsqlConnection(admin))
        {
            await conn.OpenAsync(ct);
            await Exec(conn, $"drop database if exists {Name} with (force)", ct);
            await Exec(conn, $"create database {Name}", ct);
        }
        var cs = new NpgsqlConnectionStringBuilder(admin)
        {
            Database = Name, MaxPoolSize = PoolSize, MinPoolSize = 0,
            ApplicationName = "govevents-bench-control",
        }.ConnectionString;
        var db = new BenchDatabase(admin, cs) { _experiments = experiments };

        var options = new EventStoreOptions { ConnectionString = cs };
        foreach (var (alias, type) in CaseEventTypes.ByAlias) options.Types.Register(type, alias);
        await new SchemaMigrator(options, cs).MigrateAsync(ct);
        await db.ApplyExperimentsAsync(options.Schema, ct);
        db.Store = new PgEventStore(options, TimeProvider.System, db.StoreData);

        await using (var conn = await db.Raw.OpenConnectionAsync(ct))
            await Exec(conn, RawSchemaSql, ct);
        return db;
    }

    // The store's 0001 tables, column for column, without the append function, the hash function
    // and the immutability triggers (which fire only on UPDATE/DELETE/TRUNCATE of events anyway).
    private const string RawSchemaSql = $"""
        create schema {RawSchema};
        create table {RawSchema}.streams (
            id text primary key, type text not null, version integer not null, head_hash bytea not null,
            created timestamptz not null, updated timestamptz not null, archived boolean not null default false);
        create table {RawSchema}.events (
            seq bigint generated always as identity primary key,
            id uuid not null unique,
            stream_id text not null references {RawSchema}.streams(id),
            version integer not null, type text not null, data jsonb not null, metadata jsonb not null,
            "timestamp" timestamptz not null, hash bytea not null,
            tx_id xid8 not null default pg_current_xact_id(),
            constraint events_stream_version unique (stream_id, version));
        create index events_tx_seq on {RawSchema}.events (tx_id, seq);
        create table {RawSchema}.case_docs (id text primary key, data jsonb not null, last_seq bigint not null);
        """;

    public IReadOnlyList<string> AppliedExperiments => _experiments;

    private IReadOnlyList<string> _experiments = [];

    /// <summary>Applies the run's experiments to a migrated store schema.</summary>
    public async Task ApplyExperimentsAsync(string schema, CancellationToken ct)
    {
        await using var conn = await Raw.OpenConnectionAsync(ct);
        foreach (var name in _experiments)
            await Exec(conn, Experiments.All[name].Sql.Replace("{schema}", schema), ct);
    }

    public async Task<string> ServerVersionAsync(CancellationToken ct)
    {
        await using var cmd = Raw.CreateCommand("select current_setting('server_version')");
        return (string)(await cmd.ExecuteScalarAsync(ct))!;
    }

    public async Task<string> ServerSettingsAsync(CancellationToken ct)
    {
        await using var cmd = Raw.CreateCommand(
            "select string_agg(name || '=' || current_setting(name), ', ' order by name) from pg_settings " +
            "where name in ('shared_buffers', 'synchronous_commit', 'fsync', 'wal_sync_method', 'max_connections')");
        return (string)(await cmd.ExecuteScalarAsync(ct))!;
    }

    private static async Task Exec(NpgsqlConnection conn, string sql, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand(sql, conn);
        await cmd.ExecuteNonQueryAsync(ct);
    }

    /// <summary>Leave the database in place at the end (to inspect it).</summary>
    public bool Keep { get; set; }

    public async ValueTask DisposeAsync()
    {
        await Store.DisposeAsync();
        await StoreData.DisposeAsync();
        await Raw.DisposeAsync();
        NpgsqlConnection.ClearAllPools();
        if (Keep) return;
        await using var conn = new NpgsqlConnection(_admin);
        await conn.OpenAsync();
        await Exec(conn, $"drop database if exists {Name} with (force)", CancellationToken.None);
    }
}
