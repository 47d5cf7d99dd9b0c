using GovEvents.Bench.Stores;
using Marten;
using Npgsql;

namespace GovEvents.Bench;

/// <summary>
/// The benchmark's own database, dropped and created on the admin server. GovEvents' stores live in
/// schemas of their own, each created by Marten's migrations through <see cref="BenchStore"/>; the raw
/// Npgsql baselines write to <c>bench_raw</c>, tables of the shape the home-made store had (kept so that
/// the raw figures stay comparable with bench/results/event-store.md), without functions or triggers:
/// that is what raw PostgreSQL costs.
/// </summary>
public sealed class BenchDatabase : IAsyncDisposable
{
    public const string Name = "govevents_bench";
    public const string RawSchema = "bench_raw";
    public const int PoolSize = 40; // 16 writers, Marten's daemon and slack

    private readonly string _admin;

    public const string RawApplication = "govevents-bench-raw";
    public const string StoreApplication = "govevents-bench-store";
    public const string LeverApplication = "govevents-bench-lever";
    public const string LeverBaseApplication = "govevents-bench-lever-base";
    public const string ApiApplication = "govevents-bench-api";

    private BenchDatabase(string admin, string connectionString)
    {
        _admin = admin;
        ConnectionString = connectionString;
        Raw = NpgsqlDataSource.Create(new NpgsqlConnectionStringBuilder(connectionString) { ApplicationName = RawApplication }.ConnectionString);
    }

    public string ConnectionString { get; }

    /// <summary>Pool of the raw baselines.</summary>
    public NpgsqlDataSource Raw { get; }

    private readonly List<BenchStore> _stores = [];

    /// <summary>
    /// A GovEvents store in <paramref name="schema"/> on a pool of its own (same size as raw's, so neither side
    /// waits on the other's connections); <paramref name="lever"/> changes one thing of the configuration.
    /// </summary>
    public async Task<BenchStore> StoreAsync(string name, string schema, string applicationName, CancellationToken ct,
        Action<StoreOptions>? lever = null, Func<NpgsqlDataSource, string, CancellationToken, Task>? afterMigration = null)
    {
        var store = await BenchStore.CreateAsync(name, ConnectionString, schema, applicationName, lever, afterMigration, ct);
        _stores.Add(store);
        await ApplyExperimentsAsync(schema, ct);
        return store;
    }

    /// <summary>
    /// Empties every connection pool of the run (raw, every store, Npgsql's global pools), so that a row starts
    /// on fresh connections instead of the idle ones the row before it left (16 of them after a 16-writer row).
    /// </summary>
    public void ClearPools(IEnumerable<NpgsqlDataSource>? others = null)
    {
        Raw.Clear();
        foreach (var s in _stores) s.ClearPool();
        foreach (var d in others ?? []) d.Clear();
        NpgsqlConnection.ClearAllPools();
    }

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

        await using (var conn = await db.Raw.OpenConnectionAsync(ct))
            await Exec(conn, RawSchemaSql, ct);
        return db;
    }

    // The home-made store's tables, column for column, without its append function, hash function and
    // immutability triggers: the raw baselines of bench/results/event-store.md, unchanged.
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

    /// <summary>Applies the run's experiments to a migrated store schema ({schema} in the SQL).</summary>
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
        foreach (var s in _stores) await s.DisposeAsync();
        await Raw.DisposeAsync();
        NpgsqlConnection.ClearAllPools();
        if (Keep) return;
        await using var conn = new NpgsqlConnection(_admin);
        await conn.OpenAsync();
        await Exec(conn, $"drop database if exists {Name} with (force)", CancellationToken.None);
    }
}
