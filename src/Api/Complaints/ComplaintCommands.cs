using GovEvents.Api.Cases;
using GovEvents.Api.Commands;
using GovEvents.Api.Common;
using GovEvents.Domain;
using GovEvents.Domain.Cases;
using GovEvents.Domain.Complaints;
using GovEvents.Store;

namespace GovEvents.Api.Complaints;

/// <summary>
/// Complaint commands on the one command pipeline (<see cref="Commands.Commands"/>): the complaint's
/// kind of stream and its deadlines; answers name the complaint by its id, not its stream's.
/// </summary>
public sealed class ComplaintCommands(EventLog store, Commands.Commands commands, CaseCommands cases, ComplaintDeadlines deadlines)
{
    public const string StreamType = "complaint";

    public static readonly StreamKind<Complaint> Kind = new("complaint", Complaint.Initial, Complaint.Evolve)
    {
        Status = state => ComplaintDecider.Kebab(state.Status),
    };

    public ComplaintDeadlines Deadlines => deadlines;

    public Task<CaseClock> ClockAsync(CancellationToken ct) => cases.ClockAsync(ct);

    public Task<Aggregate<Complaint>?> LoadAsync(string complaintId, CancellationToken ct) => LoadStreamAsync(Complaint.StreamId(complaintId), ct);

    public Task<Aggregate<Complaint>?> LoadStreamAsync(string streamId, CancellationToken ct) =>
        store.AggregateStreamAsync(streamId, Complaint.Initial, Complaint.Evolve, ct: ct);

    public async Task<IResult> FileAsync(HttpContext http, FileComplaint command, CancellationToken ct)
    {
        var outcome = await commands.DecideAsync(Kind, Complaint.StreamId(command.ComplaintId),
            async state => ComplaintDecider.File(state, command, deadlines, await ClockAsync(ct)), new CommandOptions<Complaint> { MayStart = true }, ct);
        return Answer(http, command.ComplaintId, outcome, $"/api/complaints/{command.ComplaintId}");
    }

    public async Task<IResult> HandleAsync(HttpContext http, string complaintId, Func<Complaint, CaseClock, Decision> decide, CancellationToken ct)
    {
        if (!CommandResults.TryIfMatch(http, out var ifMatch, out var problem)) return problem!;
        var outcome = await commands.DecideAsync(Kind, Complaint.StreamId(complaintId),
            async state => decide(state, await ClockAsync(ct)), new CommandOptions<Complaint> { IfMatch = ifMatch }, ct);
        return Answer(http, complaintId, outcome);
    }

    private static IResult Answer(HttpContext http, string complaintId, CommandOutcome outcome, string? createdAt = null) => outcome switch
    {
        CommandOutcome.NotFound => CommandResults.NotFound($"No complaint {complaintId}."),
        CommandOutcome.Refused { Refusal.Rule: ComplaintDecider.NotFoundRule } missing => CommandResults.NotFound(missing.Refusal.Detail),
        _ => outcome.ToResult(http, done => new CommandResponse(complaintId, done.Version, done.Status), createdAt),
    };
}
