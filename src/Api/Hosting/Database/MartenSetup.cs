using GovEvents.Store;
using Wolverine.Marten;
using Marten;
using Microsoft.Extensions.Options;
using Npgsql;
using Weasel.Core;
using Weasel.Postgresql;
using Weasel.Postgresql.Tables;

namespace GovEvents.Api.Hosting.Database;

/// <summary>What a feature adds to the Marten configuration: its documents, projections, tables.</summary>
public sealed record StoreFeature(Action<StoreOptions, IServiceProvider> Configure);

/// <summary>
/// GovEvents on Marten: one configuration for the application's store (its role, no DDL) and for the
/// migrator (the owner's connection), so both see the same schema.
/// </summary>
public static class MartenSetup
{
    public const string IdempotencyTable = "idempotency_keys";
    public const string CaseNumberSequence = "case_number_seq";

    /// <summary>The store's options on <paramref name="connectionString"/>, with every feature's additions.</summary>
    public static StoreOptions Options(IServiceProvider sp, string connectionString)
    {
        var s = sp.GetRequiredService<IOptions<GovEventsSettings>>().Value;
        var opts = new StoreOptions();
        StoreConfiguration.Apply(opts, new StoreSettings
        {
            ConnectionString = connectionString,
            Schema = s.Schema,
            ApplicationRole = string.IsNullOrWhiteSpace(s.ApplicationRole) ? null : s.ApplicationRole,
        }, sp.GetRequiredService<TimeProvider>());
        opts.Storage.ExtendedSchemaObjects.Add(IdempotencyKeys(s.Schema));
        opts.Storage.ExtendedSchemaObjects.Add(new Sequence(new PostgresqlObjectName(s.Schema, CaseNumberSequence, SchemaUtils.IdentifierUsage.General)));
        foreach (var feature in sp.GetServices<StoreFeature>()) feature.Configure(opts, sp);
        return opts;
    }

    /// <summary>Responses to POSTs sent with an Idempotency-Key, replayed to retries.</summary>
    private static Table IdempotencyKeys(string schema)
    {
        var table = new Table(new PostgresqlObjectName(schema, IdempotencyTable, SchemaUtils.IdentifierUsage.General));
        table.AddColumn<string>("subject").AsPrimaryKey();
        table.AddColumn<string>("key").AsPrimaryKey();
        table.AddColumn<string>("method").NotNull();
        table.AddColumn<string>("path").NotNull();
        table.AddColumn("request_hash", "bytea").NotNull();
        table.AddColumn("claimed_at", "timestamptz").NotNull().DefaultValueByExpression("now()");
        table.AddColumn("completed_at", "timestamptz");
        table.AddColumn<int>("status");
        table.AddColumn<string>("content_type");
        table.AddColumn<string>("location");
        table.AddColumn<string>("etag");
        table.AddColumn("body", "bytea");
        return table;
    }

    /// <summary>
    /// Marten with lightweight sessions on the application's connection (no DDL: the migrator owns the
    /// schema), the async daemon (one node leads each projection), and the store's helpers.
    /// </summary>
    public static IServiceCollection AddGovEventsStore(this IServiceCollection services, IConfiguration configuration)
    {
        var schema = configuration.GetValue($"{GovEventsSettings.Section}:Schema", "govevents")!;
        services.AddSingleton(sp => NpgsqlDataSource.Create(sp.GetRequiredService<IOptions<GovEventsSettings>>().Value.ConnectionString));
        services.AddMarten(sp =>
            {
                var opts = Options(sp, sp.GetRequiredService<IOptions<GovEventsSettings>>().Value.ConnectionString);
                opts.AutoCreateSchemaObjects = JasperFx.AutoCreate.None;
                return opts;
            })
            // Lightweight sessions; inside a keyed request (AppendScope) they join the request's transaction.
            .BuildSessionsWith<AppendScopeSessionFactory>()
            .UseNpgsqlDataSource()
            .IntegrateWithWolverine(w =>
            {
                // Each async projection runs on exactly one node of those sharing the database, and moves when that node dies.
                w.UseWolverineManagedEventSubscriptionDistribution = true;
                // Wolverine's own tables (envelopes, nodes, agents) in a schema of their own, built by the
                // migrator like the rest: the application role runs no DDL.
                w.MessageStorageSchemaName = MessageSchema(schema);
                w.AutoCreate = JasperFx.AutoCreate.None;
            });
        services.AddSingleton<EventLog>();
        services.AddSingleton<Commands.Commands>();
        services.AddSingleton<DatabaseMigrator>();
        return services;
    }

    /// <summary>The schema of Wolverine's message storage beside the events' schema.</summary>
    public static string MessageSchema(string schema) => $"{schema}_messages";

    public static IServiceCollection ConfigureStore(this IServiceCollection services, Action<StoreOptions, IServiceProvider> configure) =>
        services.AddSingleton(new StoreFeature(configure));

    public static IServiceCollection ConfigureStore(this IServiceCollection services, Action<StoreOptions> configure) =>
        services.AddSingleton(new StoreFeature((opts, _) => configure(opts)));
}
