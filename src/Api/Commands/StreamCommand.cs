using GovEvents.Domain;
using GovEvents.Store;
using Marten;
using Wolverine.Attributes;
using Wolverine.ErrorHandling;
using Wolverine.Runtime.Handlers;

namespace GovEvents.Api.Commands;

/// <summary>
/// The one command message: judge one stream as it stands and append what was decided at the
/// version it was judged at. Every command of the API (cases, complaints, matters, fee items,
/// organisation, file reviews) is one of these, invoked in process through Wolverine.
/// </summary>
public sealed record StreamCommand(string StreamId, int? IfMatch, IStreamDecider Decider);

/// <summary>What a <see cref="StreamCommand"/> does with its stream's history; <see cref="StreamKind{T}"/> types it.</summary>
public interface IStreamDecider
{
    /// <summary>What the stream is called in answers ("case", "fee item").</summary>
    string Noun { get; }

    /// <summary>Judges a stream at <paramref name="version"/> (no history: it does not exist yet).</summary>
    Task<Verdict> JudgeAsync(string streamId, IReadOnlyList<object> history, int version, CancellationToken ct);
}

/// <summary>A judgement: an answer with nothing to append, or events to append and the answer once they are.</summary>
public abstract record Verdict
{
    public sealed record Answer(CommandOutcome Outcome) : Verdict;

    /// <summary>
    /// <paramref name="Events"/> for the command's stream; <paramref name="Others"/> for other streams the
    /// decision also reached (each at the version it was judged at), in the same transaction.
    /// </summary>
    public sealed record Append(IReadOnlyList<object> Events, Func<int, CommandOutcome> Done, IReadOnlyList<StreamAppend> Others) : Verdict;
}

/// <summary>The outcome of a command, mapped once to HTTP by <see cref="Common.CommandResults"/>.</summary>
public abstract record CommandOutcome
{
    /// <summary>Applied (or nothing to do): the stream's version and state after it, and the events appended.</summary>
    public sealed record Done(string Id, int Version, string Status, object State, IReadOnlyList<object> Events) : CommandOutcome;

    public sealed record Refused(Refusal Refusal) : CommandOutcome;

    public sealed record NotFound(string Id, string Noun) : CommandOutcome;

    public sealed record VersionMismatch(string Id, string Noun, int Expected, int Actual) : CommandOutcome;
}

/// <summary>
/// The pipeline, as Wolverine's handler of <see cref="StreamCommand"/>: load the stream in the session
/// Wolverine opens (inside a keyed request, that session is in the request's transaction), honour
/// If-Match, let the pure decider judge, append with the expected version. A concurrent append makes
/// Wolverine run the handler again on the fresh stream (twice at most); with If-Match the client is
/// told instead (409). The handler saves its own appends so that, in a request's transaction, a
/// conflict rolls back to a savepoint and leaves the transaction usable for that retry.
/// </summary>
public static class StreamCommandHandler
{
    public const int Retries = 2;

    public static void Configure(HandlerChain chain) => chain.OnException<ConcurrencyException>().RetryTimes(Retries);

    [NonTransactional]
    public static async Task<CommandOutcome> Handle(StreamCommand command, IDocumentSession session, CancellationToken ct)
    {
        var (id, decider) = (command.StreamId, command.Decider);
        var history = await session.Events.FetchStreamAsync(id, token: ct);
        var version = history.Count == 0 ? 0 : (int)history[^1].Version;
        if (command.IfMatch is { } expected && expected != version)
            return new CommandOutcome.VersionMismatch(id, decider.Noun, expected, version);

        var verdict = await decider.JudgeAsync(id, history.Select(EventReading.Data).ToList(), version, ct);
        if (verdict is not Verdict.Append append) return ((Verdict.Answer)verdict).Outcome;

        StreamAppend[] appends = [StreamAppend.To(id, version, [.. append.Events]), .. append.Others];
        EventLog.Stage(session, appends);
        try
        {
            await EventLog.SaveAsync(session, appends, ct);
        }
        catch (ConcurrencyException e) when (command.IfMatch is not null)
        {
            return new CommandOutcome.VersionMismatch(id, decider.Noun, version, e.Actual ?? -1);
        }
        return append.Done(version + append.Events.Count);
    }
}
