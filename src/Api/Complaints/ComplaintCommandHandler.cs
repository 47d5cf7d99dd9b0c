using GovEvents.Api.Cases;
using GovEvents.Api.Common;
using GovEvents.Domain;
using GovEvents.Domain.Cases;
using GovEvents.Domain.Complaints;
using GovEvents.Store;
using Refusal = GovEvents.Api.Hosting.Problems.Refusal;

namespace GovEvents.Api.Complaints;

/// <summary>
/// The complaint command pipeline: fold the complaint's stream, let <see cref="ComplaintDecider"/>
/// judge, append at the version it judged (judging again on a concurrent change unless If-Match
/// pinned the version: then 409).
/// </summary>
public sealed class ComplaintCommandHandler(EventLog store, CaseCommandHandler cases, ComplaintDeadlines deadlines)
{
    public const string StreamType = "complaint";
    private const int Attempts = 3;

    public ComplaintDeadlines Deadlines => deadlines;

    public Task<CaseClock> ClockAsync(CancellationToken ct) => cases.ClockAsync(ct);

    public Task<Aggregate<Complaint>?> LoadAsync(string complaintId, CancellationToken ct) => LoadStreamAsync(Complaint.StreamId(complaintId), ct);

    public Task<Aggregate<Complaint>?> LoadStreamAsync(string streamId, CancellationToken ct) =>
        store.AggregateStreamAsync(streamId, Complaint.Initial, Complaint.Evolve, ct: ct);

    public async Task<IResult> FileAsync(FileComplaint command, CancellationToken ct)
    {
        var decision = ComplaintDecider.File(Complaint.Initial, command, deadlines, await ClockAsync(ct));
        if (decision.Refusal is { } refusal) return Refusal.Refused(refusal.Rule, refusal.Detail);
        var result = await store.StartStreamAsync(Complaint.StreamId(command.ComplaintId), decision.Events, ct);
        return Results.Created($"/api/complaints/{command.ComplaintId}",
            new CommandResponse(command.ComplaintId, result, "filed"));
    }

    public async Task<IResult> HandleAsync(HttpContext http, string complaintId, Func<Complaint, CaseClock, Decision> decide, CancellationToken ct)
    {
        if (!CommandResults.TryIfMatch(http, out var ifMatch, out var problem)) return problem!;
        var streamId = Complaint.StreamId(complaintId);
        for (var attempt = 1; ; attempt++)
        {
            var loaded = await LoadAsync(complaintId, ct);
            if (loaded is null) return CommandResults.NotFound($"No complaint {complaintId}.");
            if (ifMatch is { } expected && expected != loaded.Version)
                return CommandResults.Conflict($"The complaint is at version {loaded.Version}, not {expected}. Reload it and try again.");
            var decision = decide(loaded.State, await ClockAsync(ct));
            if (decision.Refusal is { Rule: ComplaintDecider.NotFoundRule } missing) return CommandResults.NotFound(missing.Detail);
            if (decision.Refusal is { } refusal) return Refusal.Refused(refusal.Rule, refusal.Detail);
            var version = loaded.Version;
            var state = loaded.State;
            if (decision.Events.Count > 0)
            {
                try
                {
                    version = (await store.AppendAsync(streamId, loaded.Version, decision.Events, ct));
                    state = decision.Events.Aggregate(state, Complaint.Evolve);
                }
                catch (ConcurrencyException) when (ifMatch is null && attempt < Attempts)
                {
                    continue;
                }
                catch (ConcurrencyException)
                {
                    return CommandResults.Conflict("The complaint changed meanwhile; reload it and try again.");
                }
            }
            http.Response.Headers.ETag = $"\"{version}\"";
            return Results.Ok(new CommandResponse(complaintId, version, ComplaintDecider.Kebab(state.Status)));
        }
    }
}
