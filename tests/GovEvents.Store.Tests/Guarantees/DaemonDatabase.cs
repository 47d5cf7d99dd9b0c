using GovEvents.Projections.Cases;
using GovEvents.Projections.Complaints;
using GovEvents.Projections.Organisation;
using GovEvents.Testing;
using JasperFx;
using Marten;
using Npgsql;

namespace GovEvents.Store.Tests.Guarantees;

/// <summary>
/// A database of its own for one test class, with stores configured as the API configures them:
/// <see cref="StoreConfiguration.Apply"/>, the case and complaint views (async) and the delegation
/// index (inline), plus whatever a test adds. Every store opened here is another node on the same database.
/// </summary>
public sealed class DaemonDatabase : TestDatabase
{
    private readonly List<IAsyncDisposable> _owned = [];

    public DaemonDatabase() => DataSource = NpgsqlDataSource.Create(ConnectionString);

    // GetUtcNow must be UTC: Marten passes it to Npgsql, which refuses any other offset for timestamptz.
    public ManualTimeProvider Time { get; } = new(new DateTimeOffset(2026, 3, 2, 1, 0, 0, TimeSpan.Zero));

    public NpgsqlDataSource DataSource { get; }

    public const string Schema = "govevents";

    /// <summary>Our configuration as the API applies it, with <paramref name="also"/> on top.</summary>
    public void Configure(StoreOptions opts, Action<StoreOptions>? also = null)
    {
        StoreConfiguration.Apply(opts, new StoreSettings { ConnectionString = ConnectionString, Schema = Schema }, Time);
        CaseViewProjection.Configure(opts);
        ComplaintViewProjection.Configure(opts);
        DelegationIndex.Configure(opts);
        opts.AutoCreateSchemaObjects = AutoCreate.CreateOrUpdate;
        also?.Invoke(opts);
    }

    /// <summary>A store on this database with its schema applied.</summary>
    public async Task<DocumentStore> OpenAsync(Action<StoreOptions>? also = null)
    {
        var store = DocumentStore.For(opts => Configure(opts, also));
        Own(store);
        await store.Storage.ApplyAllConfiguredChangesToDatabaseAsync();
        return store;
    }

    public EventLog Log(IDocumentStore store) => new(store, DataSource);

    /// <summary>Disposed with the database, after the test class.</summary>
    public void Own(IAsyncDisposable disposable)
    {
        lock (_owned) _owned.Add(disposable);
    }

    /// <summary>The highest committed sequence.</summary>
    public async Task<long> HeadAsync() => await ScalarAsync<long>($"select coalesce(max(seq_id), 0) from {Schema}.mt_events");

    public async Task<T> ScalarAsync<T>(string sql)
    {
        await using var cmd = DataSource.CreateCommand(sql);
        return (T)(await cmd.ExecuteScalarAsync())!;
    }

    public override async ValueTask DisposeAsync()
    {
        foreach (var owned in Enumerable.Reverse(_owned))
        {
            try { await owned.DisposeAsync(); }
            catch (ObjectDisposedException) { }
        }
        await DataSource.DisposeAsync();
        await base.DisposeAsync();
    }
}
