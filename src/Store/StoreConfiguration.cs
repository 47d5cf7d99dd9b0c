using JasperFx.Events;
using GovEvents.Store.TamperEvidence;
using Marten;

namespace GovEvents.Store;

/// <summary>
/// GovEvents on Marten: the one place that says how events are stored. The API, the benchmark and
/// the store's tests all configure Marten through <see cref="Apply"/>, so what is measured and tested
/// is what runs.
/// </summary>
public static class StoreConfiguration
{
    public static void Apply(StoreOptions opts, StoreSettings settings, TimeProvider time)
    {
        opts.Connection(settings.ConnectionString);
        opts.DatabaseSchemaName = settings.Schema;
        opts.Events.DatabaseSchemaName = settings.Schema;
        opts.Events.StreamIdentity = StreamIdentity.AsString;
        opts.Events.AppendMode = EventAppendMode.Quick;
        opts.Events.MetadataConfig.CorrelationIdEnabled = true;
        opts.Events.MetadataConfig.CausationIdEnabled = true;
        opts.Events.MetadataConfig.HeadersEnabled = true;
        // The hall clock: an event's timestamp is the clock the dev mode moves.
        opts.Events.TimeProvider = time;
        opts.Storage.Add(new TamperEvidenceSchema(opts.Advanced.Migrator, settings.Schema, settings.ApplicationRole));
    }
}
