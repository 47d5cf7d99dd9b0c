namespace GovEvents.Bench.Workload;

/// <summary>
/// The fold both sides compute: the aggregate of the read benchmarks and the document of the
/// rebuild benchmark. Time comes from the events, so a rebuild is deterministic.
/// </summary>
public sealed record CaseSummary(
    string CaseId, string MatterCode, string ApplicantName, string Channel, int MaterialsExpected,
    int MaterialsReceived, int Opinions, string? LastOpinion, decimal FeesPaid, int Events, DateTimeOffset LastChangedAt)
{
    /// <summary>
    /// No events yet: a fresh instance each time, as <c>FeesView.None</c> in src/Projections. Never a shared static
    /// default: Newtonsoft (ObjectCreationHandling.Auto) populates a property's existing value in place when it reads
    /// a stored <see cref="Stores.CaseSnapshot"/>, so a shared one was overwritten with the last document read and
    /// leaked its state into every fold that started from it.
    /// </summary>
    public static CaseSummary Empty => new("", "", "", "", 0, 0, 0, null, 0m, 0, DateTimeOffset.MinValue);

    /// <summary>What a case of the sample workload folds to after its first <paramref name="events"/> events.</summary>
    public static CaseSummary Expected(string caseId, int seed, int events) =>
        Enumerable.Range(1, events).Aggregate(Empty, (state, n) => Evolve(state, CaseSamples.Event(caseId, seed, n)));

    public static CaseSummary Evolve(CaseSummary state, object e) => e switch
    {
        ApplicationSubmitted s => state with
        {
            CaseId = s.CaseId, MatterCode = s.MatterCode, ApplicantName = s.ApplicantName, Channel = s.Channel,
            MaterialsExpected = s.Materials.Length, Events = state.Events + 1, LastChangedAt = s.SubmittedAt,
        },
        MaterialReceived m => state with { MaterialsReceived = state.MaterialsReceived + 1, Events = state.Events + 1, LastChangedAt = m.ReceivedAt },
        ReviewOpinionRecorded r => state with { Opinions = state.Opinions + 1, LastOpinion = r.Stage, Events = state.Events + 1, LastChangedAt = r.RecordedAt },
        FeePaid f => state with { FeesPaid = state.FeesPaid + f.Amount, Events = state.Events + 1, LastChangedAt = f.PaidAt },
        _ => state,
    };
}
