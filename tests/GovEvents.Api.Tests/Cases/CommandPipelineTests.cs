using System.Net;
using System.Text.Json.Nodes;
using GovEvents.Api.Tests.Infrastructure;
using Shouldly;

namespace GovEvents.Api.Tests.Cases;

/// <summary>
/// The one command pipeline (Wolverine's handler of every command): two acts on one case at once,
/// neither pinned by If-Match, are both applied, the later one judged again on the case as the
/// earlier one left it; also when each request carries an Idempotency-Key, whose transaction the
/// command joins (a conflict rolls back to a savepoint and the retry runs in the same transaction).
/// </summary>
public sealed class CommandPipelineTests(HallHost api) : IClassFixture<HallHost>
{
    private const int Cases = 6;
    private readonly Hall _hall = api.Hall;

    private HttpClient Staff(string department) => _hall.Handler($"{department.ToLowerInvariant()}-h1", department);

    private async Task<string> CaseInParallelReviewAsync()
    {
        var c = await _hall.AcceptedCaseAsync("PARALLEL");
        await (await _hall.CommandAsync(_hall.Handler(), c.Id, "parallel-review")).ShouldBeAsync(HttpStatusCode.OK);
        return c.Id;
    }

    private Task<HttpResponseMessage> OpinionAsync(string caseId, string department, bool keyed) =>
        Staff(department).SendAsync(Http.Post($"/api/cases/{caseId}/parallel-review/opinions",
            new { departmentCode = department, opinion = "agree", comment = department }, keyed ? Guid.NewGuid().ToString() : null));

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Concurrent_acts_on_one_case_are_both_applied(bool keyed)
    {
        var ids = new List<string>();
        for (var i = 0; i < Cases; i++) ids.Add(await CaseInParallelReviewAsync());
        var before = new Dictionary<string, int>();
        foreach (var id in ids) before[id] = await _hall.StreamVersionAsync(id);

        var responses = await Task.WhenAll(ids.SelectMany(id => new[] { OpinionAsync(id, "FIRE", keyed), OpinionAsync(id, "ENV", keyed) }));

        foreach (var response in responses) await response.ShouldBeAsync(HttpStatusCode.OK);
        foreach (var id in ids)
        {
            (await _hall.StreamVersionAsync(id)).ShouldBe(before[id] + 2);
            var participants = (await _hall.ViewAsync(id))["parallelReview"]!["participants"]!.AsArray();
            participants.Select(p => (p.Str("departmentCode"), p.Str("opinion"))).ShouldBe([("FIRE", "agree"), ("ENV", "agree")], ignoreOrder: true);
        }
        // Each answer's version is the one its own events reached: one of the pair at +1, the other at +2.
        var versions = new List<(string Id, int Version)>();
        foreach (var response in responses)
        {
            var body = await response.ReadJsonAsync();
            versions.Add((body.Str("id")!, body["version"]!.GetValue<int>()));
        }
        foreach (var id in ids)
            versions.Where(v => v.Id == id).Select(v => v.Version).ShouldBe([before[id] + 1, before[id] + 2], ignoreOrder: true);
    }

    [Fact]
    public async Task A_refused_act_in_a_keyed_request_appends_nothing_and_its_answer_is_replayed()
    {
        var id = await CaseInParallelReviewAsync();
        var version = await _hall.StreamVersionAsync(id);
        var key = Guid.NewGuid().ToString();
        HttpRequestMessage Outsider() => Http.Post($"/api/cases/{id}/parallel-review/opinions",
            new { departmentCode = "HALL", opinion = "agree", comment = "" }, key);

        var first = await _hall.Handler("hall-lead", "HALL").SendAsync(Outsider());
        var retry = await _hall.Handler("hall-lead", "HALL").SendAsync(Outsider());

        await first.ShouldBeRefusedAsync("participant-unknown");
        retry.StatusCode.ShouldBe(HttpStatusCode.UnprocessableEntity);
        retry.Headers.GetValues("Idempotent-Replayed").ShouldHaveSingleItem().ShouldBe("true");
        (await retry.Content.ReadAsStringAsync()).ShouldBe(await first.Content.ReadAsStringAsync());
        (await _hall.StreamVersionAsync(id)).ShouldBe(version);
    }

    [Fact]
    public async Task An_act_through_the_pipeline_carries_the_callers_metadata_and_correlation()
    {
        var id = await CaseInParallelReviewAsync();
        var request = Http.Post($"/api/cases/{id}/parallel-review/opinions", new { departmentCode = "FIRE", opinion = "agree", comment = "" });
        request.Headers.Add("X-Correlation-Id", "flow-pipeline-1");
        request.Headers.Add("X-Window", "W07"); // not taken: fire-h1 sits at no window

        await (await Staff("FIRE").SendAsync(request)).ShouldBeAsync(HttpStatusCode.OK);

        var stored = (await api.Store.FetchStreamAsync(id)).Last();
        stored.Data.GetType().Name.ShouldBe("ParallelOpinionGiven");
        stored.Metadata.ActorId.ShouldBe("fire-h1");
        stored.Metadata.Department.ShouldBe("FIRE");
        stored.Metadata.Window.ShouldBeNull();
        stored.Metadata.CorrelationId.ShouldBe("flow-pipeline-1");
        stored.Metadata.CausationId.ShouldNotBeNullOrEmpty();
        stored.Timestamp.ShouldBe(api.Clock.GetUtcNow(), TimeSpan.FromMilliseconds(1));
    }
}
