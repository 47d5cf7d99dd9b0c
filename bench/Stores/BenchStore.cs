using GovEvents.Bench.Workload;
using GovEvents.Store;
using JasperFx;
using Marten;
using Npgsql;
using Weasel.Postgresql;

namespace GovEvents.Bench.Stores;

/// <summary>
/// One Marten store of the benchmark, configured by GovEvents' own <see cref="StoreConfiguration.Apply"/>
/// (plus the benchmark's event names and, for a lever, one change), in a schema of its own, on a pool of its own.
/// </summary>
public sealed class BenchStore : IAsyncDisposable
{
    private BenchStore(string name, string schema, NpgsqlDataSource dataSource, DocumentStore store)
    {
        Name = name;
        Schema = schema;
        DataSource = dataSource;
        Store = store;
        Log = new EventLog(store, dataSource);
    }

    /// <summary>What this store is, as the report names it.</summary>
    public string Name { get; }
    public string Schema { get; }
    public NpgsqlDataSource DataSource { get; }
    public DocumentStore Store { get; }

    /// <summary>GovEvents' append/read facade, as the API uses it.</summary>
    public EventLog Log { get; }

    /// <summary>
    /// Creates the store on <paramref name="connectionString"/> with <paramref name="applicationName"/> on its
    /// connections (for the CPU probe), applies its schema (Marten's migrations, tamper evidence included), then
    /// runs <paramref name="afterMigration"/> (a lever that removes a database object).
    /// </summary>
    public static async Task<BenchStore> CreateAsync(string name, string connectionString, string schema, string applicationName,
        Action<StoreOptions>? lever, Func<NpgsqlDataSource, string, CancellationToken, Task>? afterMigration, CancellationToken ct)
    {
        var named = new NpgsqlConnectionStringBuilder(connectionString) { ApplicationName = applicationName }.ConnectionString;
        var dataSource = NpgsqlDataSource.Create(named);
        var store = DocumentStore.For(opts =>
        {
            StoreConfiguration.Apply(opts, new StoreSettings { ConnectionString = named, Schema = schema }, TimeProvider.System);
            // The API hands Marten its NpgsqlDataSource too (UseNpgsqlDataSource); here it is the store's own pool.
            opts.Connection(dataSource);
            foreach (var (alias, type) in CaseEventTypes.ByAlias) opts.Events.MapEventType(type, alias);
            opts.AutoCreateSchemaObjects = AutoCreate.CreateOrUpdate;
            lever?.Invoke(opts);
        });
        await store.Storage.ApplyAllConfiguredChangesToDatabaseAsync();
        if (afterMigration is not null) await afterMigration(dataSource, schema, ct);
        return new BenchStore(name, schema, dataSource, store);
    }

    /// <summary>Closes the idle connections of this store's pool (and those in use when they come back).</summary>
    public void ClearPool()
    {
        DataSource.Clear();
        // The pool Marten actually uses (its own, built from the connection string, when it does not take ours).
        if (Store.Storage.Database is PostgresqlDatabase database) database.DataSource.Clear();
    }

    public async ValueTask DisposeAsync()
    {
        Store.Dispose();
        await DataSource.DisposeAsync();
    }
}
