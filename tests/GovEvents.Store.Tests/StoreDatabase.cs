using GovEvents.Testing;
using Marten;

namespace GovEvents.Store.Tests;

/// <summary>A database of its own for one test class, and Marten stores configured as the application configures them.</summary>
public sealed class StoreDatabase : TestDatabase
{
    private readonly List<DocumentStore> _stores = [];

    public StoreDatabase() => Store = Open();

    /// <summary>The store as the application runs it.</summary>
    public DocumentStore Store { get; }

    public StoreSettings Settings => new() { ConnectionString = ConnectionString };

    /// <summary>Another store on the same database: with upcasts, or as an older build of the application configured it.</summary>
    public DocumentStore Open(IEnumerable<EventUpcast>? upcasts = null, Action<StoreOptions>? also = null)
    {
        var store = DocumentStore.For(opts =>
        {
            StoreConfiguration.Apply(opts, Settings, TimeProvider.System, upcasts);
            also?.Invoke(opts);
        });
        _stores.Add(store);
        return store;
    }

    public override async ValueTask DisposeAsync()
    {
        foreach (var store in _stores) await store.DisposeAsync();
        await base.DisposeAsync();
    }
}
