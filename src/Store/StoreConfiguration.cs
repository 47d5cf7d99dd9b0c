using GovEvents.Store.Serialization;
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
    /// <param name="upcasts">Old stored shapes and the current events they are read as; none today.</param>
    public static void Apply(StoreOptions opts, StoreSettings settings, TimeProvider time, IEnumerable<EventUpcast>? upcasts = null)
    {
        opts.Connection(settings.ConnectionString);
        opts.DatabaseSchemaName = settings.Schema;
        opts.Events.DatabaseSchemaName = settings.Schema;
        opts.Events.StreamIdentity = StreamIdentity.AsString;
        // Rich, not Quick: Marten 9.62's quick append stamps events appended to an existing stream with
        // the database's time, ignoring the TimeProvider; an act's time must be the hall clock's.
        opts.Events.AppendMode = EventAppendMode.Rich;
        opts.Events.MetadataConfig.CorrelationIdEnabled = true;
        opts.Events.MetadataConfig.CausationIdEnabled = true;
        opts.Events.MetadataConfig.HeadersEnabled = true;
        // The hall clock: an event's timestamp is the clock the dev mode moves.
        opts.Events.TimeProvider = time;

        var serializer = new NewtonsoftSerializer();
        opts.Serializer(serializer);
        // Stored under stable names, never CLR names: renaming or moving a type changes nothing stored.
        foreach (var (type, name) in EventNames.All)
            opts.Events.MapEventType(type, name);
        foreach (var upcast in upcasts ?? [])
            upcast.Register(opts.Events, serializer);

        // The async daemon never skips an event it could still see: a sequence gap is held while any
        // transaction that could fill it is alive (however long it stays open), and skipped only once none
        // is (a rollback). Marten's defaults today, pinned here so an upgrade that changes them shows.
        opts.Projections.UseTransactionEvidenceForGapSkipping = true;
        opts.Projections.SkipStaleGapsDespiteLiveTransactionsAfter = null;
        // A projection that fails on an event stops there (its agent paused, its progress before the event)
        // instead of Marten's continuous default, which dead-letters the event and carries on without it:
        // a read model missing an act is wrong, and must be seen and fixed, then resumed.
        opts.Projections.Errors.SkipApplyErrors = false;
        opts.Projections.Errors.SkipSerializationErrors = false;

        // Tamper evidence: hash chain and append-only triggers, created and kept by Marten's schema management.
        opts.Storage.Add(new TamperEvidenceSchema(opts.Advanced.Migrator, settings.Schema, settings.ApplicationRole));
    }
}
