using GovEvents.Domain;
using GovEvents.Domain.Supervision;
using GovEvents.Store;
using JasperFx.Events;
using JasperFx.Events.Daemon;
using JasperFx.Events.Projections;
using Marten;
using Marten.Subscriptions;

namespace GovEvents.Projections.Supervision;

/// <summary>
/// Raises and resolves alerts as the case and complaint events arrive: a Marten subscription, run by
/// the async daemon on one node, which appends to the alert streams before its progress is saved (a
/// page run again decides nothing twice). What an event means is the domain's (<see cref="AlertRules.React"/>);
/// each alert's own decider says whether it is raised (once: its stream id is deterministic) or
/// resolved (only when open). Alert events carry the system as actor, correlated to the event behind them.
/// </summary>
public sealed class AlertReactor : SubscriptionBase
{
    public const string ReactorName = "alert_reactor";

    public AlertReactor()
    {
        Name = ReactorName;
        foreach (var type in AlertRules.EventTypes) IncludeType(type);
        Options.BatchSize = 500;
    }

    public override async Task<IChangeListener> ProcessEventsAsync(EventRange page, ISubscriptionController controller,
        IDocumentOperations operations, CancellationToken ct)
    {
        // Alerts touched in this page, as they stand after what this page decided.
        var alerts = new Dictionary<string, (Alert State, int Version)>(StringComparer.Ordinal);
        var histories = new Dictionary<string, IReadOnlyList<StoredEvent>>(StringComparer.Ordinal);
        var appends = new List<StreamAppend>();
        foreach (var e in page.Events)
        {
            var streamId = e.StreamKey!;
            if (!histories.TryGetValue(streamId, out var history) || history.Count == 0 || history[^1].Version < e.Version)
                histories[streamId] = history = (await operations.Events.FetchStreamAsync(streamId, token: ct)).Select(EventLog.ToStored).ToList();
            var acts = history.Where(h => h.Version <= e.Version).Select(ToAct).ToList();
            foreach (var action in AlertRules.React(streamId, ToAct(EventLog.ToStored(e)), acts))
            {
                var alertId = action switch { AlertAction.Raise r => r.Raised.AlertId, AlertAction.Resolve r => r.AlertId, _ => throw new InvalidOperationException() };
                if (!alerts.TryGetValue(alertId, out var alert))
                {
                    var stored = await operations.Events.FetchStreamAsync(alertId, token: ct);
                    alert = (stored.Select(s => s.Data).Aggregate(Alert.Initial, Alert.Evolve), stored.Count);
                }
                var decision = action switch
                {
                    AlertAction.Raise r => AlertDecider.Raise(alert.State, r.Raised),
                    AlertAction.Resolve r => AlertDecider.Resolve(alert.State, r.Cause, r.At),
                    _ => Decision.Nothing,
                };
                if (decision.Events.Count > 0)
                {
                    var metadata = EventMetadata.System with { CorrelationId = e.CorrelationId ?? e.Id.ToString(), CausationId = e.Id.ToString() };
                    appends.Add(new StreamAppend(alertId, alert.Version == 0 ? ExpectedVersion.New : ExpectedVersion.Any,
                        [.. decision.Events.Select(d => new EventToAppend(d, metadata))]));
                    alert = (decision.Events.Aggregate(alert.State, Alert.Evolve), alert.Version + decision.Events.Count);
                }
                alerts[alertId] = alert;
            }
        }
        // Committed before the page's progress: a page run again after a crash finds its alerts raised and
        // resolved, and decides nothing twice. An alert is appended to without an expected version (a review
        // may append to it meanwhile; Marten orders the two).
        if (appends.Count > 0)
        {
            await using var session = operations.DocumentStore.LightweightSession();
            EventLog.Stage(session, appends);
            await EventLog.SaveAsync(session, appends, ct);
        }
        return NullChangeListener.Instance;
    }

    private static Act ToAct(StoredEvent e) => new(e.Data, e.Version,
        e.Metadata.ActorKind == ActorKind.Staff ? e.Metadata.ActorId : null, e.Metadata.Window, e.Timestamp);

    public static void Configure(StoreOptions opts) => opts.Events.Subscribe(new AlertReactor());
}
