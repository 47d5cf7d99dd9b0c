using GovEvents.EventStore;
using Microsoft.Extensions.Options;

namespace GovEvents.Api.Hosting.Database;

/// <summary>A change to the store's options (event types, inline projections), registered by a feature.</summary>
public sealed record EventStoreConfiguration(Action<EventStoreOptions> Configure);

public static class EventStoreSetup
{
    /// <summary>The store's options from settings alone (what migrations need).</summary>
    public static EventStoreOptions Options(GovEventsSettings s) => new()
    {
        ConnectionString = s.ConnectionString,
        Schema = s.Schema,
        ApplicationRole = string.IsNullOrWhiteSpace(s.ApplicationRole) ? null : s.ApplicationRole,
    };

    /// <summary>
    /// Registers the store's options, a singleton <see cref="PgEventStore"/> and the migrator.
    /// Features add their event types and inline projections with <see cref="ConfigureEventStore"/>.
    /// </summary>
    public static IServiceCollection AddGovEventsStore(this IServiceCollection services)
    {
        services.AddSingleton(sp =>
        {
            var options = Options(sp.GetRequiredService<IOptions<GovEventsSettings>>().Value);
            foreach (var configuration in sp.GetServices<EventStoreConfiguration>()) configuration.Configure(options);
            return options;
        });
        services.AddSingleton(sp => new PgEventStore(sp.GetRequiredService<EventStoreOptions>(), sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton(sp => new DatabaseMigrator(
            sp.GetRequiredService<EventStoreOptions>(), sp.GetRequiredService<IOptions<GovEventsSettings>>().Value.OwnerConnectionString));
        return services;
    }

    public static IServiceCollection ConfigureEventStore(this IServiceCollection services, Action<EventStoreOptions> configure) =>
        services.AddSingleton(new EventStoreConfiguration(configure));
}
