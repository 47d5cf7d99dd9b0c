using GovEvents.Domain;
using GovEvents.Store;
using Wolverine;
using Wolverine.Runtime;

namespace GovEvents.Api.Commands;

/// <summary>A kind of stream: what answers call it, how its state folds, and the status an answer reports.</summary>
public sealed record StreamKind<TState>(string Noun, TState Initial, Func<TState, object, TState> Evolve)
{
    public Func<TState, string> Status { get; init; } = _ => "";

    /// <summary>Events whose metadata is not the caller's (a signature's delegation, a system act) wrapped as <see cref="EventToAppend"/>.</summary>
    public Func<IReadOnlyList<object>, IReadOnlyList<object>> WithMetadata { get; init; } = events => events;

    public TState Fold(IEnumerable<object> events) => events.Aggregate(Initial, Evolve);
}

public static class StreamKind
{
    /// <summary>A stream judged only by how many events it has (0: it does not exist yet): a register, a calendar.</summary>
    public static StreamKind<int> Counted(string noun) => new(noun, 0, (count, _) => count + 1);
}

/// <summary>How a command asks its stream to be judged.</summary>
public sealed record CommandOptions<TState>
{
    /// <summary>The version the client pinned with If-Match.</summary>
    public int? IfMatch { get; init; }

    /// <summary>A stream that does not exist yet is judged from the kind's initial state (creations); otherwise it is a 404.</summary>
    public bool MayStart { get; init; }

    /// <summary>A stream the caller may not see is answered as one that does not exist.</summary>
    public Func<TState, bool>? Visible { get; init; }

    /// <summary>
    /// For a decision that reaches other streams too: which of its events go elsewhere, each with the
    /// version its stream was judged at (read inside the decision, so a retry reads it again).
    /// </summary>
    public Func<IReadOnlyList<object>, IReadOnlyList<StreamAppend>>? Elsewhere { get; init; }
}

/// <summary>
/// Sends commands through Wolverine's <see cref="StreamCommandHandler"/> (in process, in the caller's
/// async flow: its metadata and, for a keyed request, its transaction). A conflict that outlasts
/// Wolverine's retries is answered as a version mismatch (409), never a 500.
/// </summary>
public sealed class Commands(IWolverineRuntime runtime)
{
    public async Task<CommandOutcome> DecideAsync<TState>(StreamKind<TState> kind, string streamId,
        Func<TState, Task<Decision>> decide, CommandOptions<TState>? options, CancellationToken ct)
    {
        options ??= new CommandOptions<TState>();
        var command = new StreamCommand(streamId, options.IfMatch, new Decider<TState>(kind, decide, options));
        try
        {
            return await new MessageBus(runtime).InvokeAsync<CommandOutcome>(command, ct);
        }
        catch (ConcurrencyException e)
        {
            return new CommandOutcome.VersionMismatch(streamId, kind.Noun, e.Expected.Value ?? -1, e.Actual ?? -1);
        }
    }

    public Task<CommandOutcome> DecideAsync<TState>(StreamKind<TState> kind, string streamId,
        Func<TState, Decision> decide, CommandOptions<TState>? options, CancellationToken ct) =>
        DecideAsync(kind, streamId, state => Task.FromResult(decide(state)), options, ct);

    private sealed class Decider<TState>(StreamKind<TState> kind, Func<TState, Task<Decision>> decide, CommandOptions<TState> options)
        : IStreamDecider
    {
        public string Noun => kind.Noun;

        public async Task<Verdict> JudgeAsync(string streamId, IReadOnlyList<object> history, int version, CancellationToken ct)
        {
            var state = kind.Fold(history);
            if ((history.Count == 0 && !options.MayStart) || (history.Count > 0 && options.Visible?.Invoke(state) == false))
                return new Verdict.Answer(new CommandOutcome.NotFound(streamId, kind.Noun));

            var decision = await decide(state);
            if (decision.Refusal is { } refusal) return new Verdict.Answer(new CommandOutcome.Refused(refusal));
            if (decision.Events.Count == 0)
                return new Verdict.Answer(new CommandOutcome.Done(streamId, version, kind.Status(state), state!, []));

            var others = options.Elsewhere?.Invoke(decision.Events) ?? [];
            var elsewhere = others.SelectMany(a => a.Events).ToHashSet(ReferenceEqualityComparer.Instance);
            var own = decision.Events.Where(e => !elsewhere.Contains(e)).ToList();
            var after = own.Aggregate(state, kind.Evolve);
            return new Verdict.Append(kind.WithMetadata(own),
                newVersion => new CommandOutcome.Done(streamId, newVersion, kind.Status(after), after!, decision.Events), others);
        }
    }
}
