using GovEvents.Testing;
using JasperFx;
using Marten;

namespace GovEvents.Store.Tests;

/// <summary>
/// A database with GovEvents' Marten schema applied by its owner (this superuser), and an application role
/// that connects through <see cref="AppStore"/> the way the API does: no schema changes, grants only.
/// </summary>
public class StoreFixture : TestDatabase, Xunit.IAsyncLifetime
{
    public const string Schema = "govevents";

    public StoreFixture()
    {
        AppConnectionString = CreateLoginRole("app");
        AppRole = $"{Name}_app";
        Store = Open(ConnectionString, AutoCreate.CreateOrUpdate);
        AppStore = Open(AppConnectionString, AutoCreate.None);
    }

    // GetUtcNow must be UTC: Marten passes it to Npgsql, which refuses any other offset for timestamptz.
    public ManualTimeProvider Time { get; } = new(new DateTimeOffset(2026, 3, 2, 1, 0, 0, TimeSpan.Zero));

    public string AppRole { get; }

    public string AppConnectionString { get; }

    /// <summary>Connected as the owner, who applies the schema.</summary>
    public DocumentStore Store { get; }

    /// <summary>Connected as the application role.</summary>
    public DocumentStore AppStore { get; }

    /// <summary>Another store on this database, as a second start of the application (or a second node) makes.</summary>
    public DocumentStore Open(string connectionString, AutoCreate autoCreate) => DocumentStore.For(opts =>
    {
        StoreConfiguration.Apply(opts, new StoreSettings { ConnectionString = connectionString, Schema = Schema, ApplicationRole = AppRole }, Time);
        opts.AutoCreateSchemaObjects = autoCreate;
        // Marten creates its event tables only once it knows an event type.
        opts.Events.AddEventType<CaseFiled>();
        opts.Events.AddEventType<CaseNoteAdded>();
    });

    Task Xunit.IAsyncLifetime.InitializeAsync() => Store.Storage.ApplyAllConfiguredChangesToDatabaseAsync();

    Task Xunit.IAsyncLifetime.DisposeAsync() => DisposeAsync().AsTask();

    public override async ValueTask DisposeAsync()
    {
        Store.Dispose();
        AppStore.Dispose();
        await base.DisposeAsync();
    }
}

public sealed record CaseFiled(string CaseId, string Title, DateTimeOffset FiledAt);

public sealed record CaseNoteAdded(string CaseId, string Note, decimal Fee, DateTimeOffset AddedAt);
