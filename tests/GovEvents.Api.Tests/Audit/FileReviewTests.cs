using System.Net;
using System.Text.Json.Nodes;
using GovEvents.Api.Hosting.Auth;
using GovEvents.Api.Tests.Infrastructure;
using Shouldly;

namespace GovEvents.Api.Tests.Audit;

/// <summary>案卷评查: POST /api/audit/file-reviews and its grades (a hall and database of their own).</summary>
public sealed class FileReviewTests(HallHost api) : IClassFixture<HallHost>
{
    private readonly Hall _hall = api.Hall;

    private async Task<(string[] Closed, string Open, string Transferred)> CasesAsync()
    {
        var closed = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            var c = await _hall.SubmitAsync("T1");
            await (await _hall.CommandAsync(_hall.Clerk, c.Id, "withdrawal", new { reason = "申请人撤回" })).ShouldBeAsync(HttpStatusCode.OK);
            closed.Add(c.Id);
        }
        var refused = await _hall.SubmitAsync("T1");
        await (await _hall.CommandAsync(_hall.Clerk, refused.Id, "non-acceptance",
            new { reason = "不属于本机关职权范围", legalBasis = "《行政许可法》第三十二条" })).ShouldBeAsync(HttpStatusCode.OK);
        closed.Add(refused.Id);
        var open = await _hall.AcceptedCaseAsync("T1");
        // 市县转接: decided by another hall, so not closed here and never sampled.
        var transferred = await _hall.AcceptedCaseAsync("T1");
        await (await _hall.CommandAsync(_hall.Clerk, transferred.Id, "transfer", new { toHall = "CITY", reason = "县级初审完毕，报市级决定" }))
            .ShouldBeAsync(HttpStatusCode.OK);
        await _hall.CaughtUpAsync();
        return ([.. closed], open.Id, transferred.Id);
    }

    private static async Task<(string Id, string[] CaseIds)> StartedAsync(HttpResponseMessage response)
    {
        await response.ShouldBeAsync(HttpStatusCode.Created);
        var body = await response.ReadJsonAsync();
        return (body.Str("id"), [.. body["caseIds"]!.AsArray().Select(c => c!.GetValue<string>())]);
    }

    private Task<HttpResponseMessage> StartAsync(HttpClient by, object body) => _hall.PostAsync(by, "/api/audit/file-reviews", body);

    [Fact]
    public async Task A_review_samples_closed_cases_of_the_period_and_grades_each_once()
    {
        var (closed, open, transferred) = await CasesAsync();

        var (_, everything) = await StartedAsync(await StartAsync(_hall.Auditor, new { from = "2026-03-01", to = "2026-03-31", sampleSize = 50 }));
        everything.ShouldBe(closed, ignoreOrder: true);
        everything.ShouldNotContain(open);
        everything.ShouldNotContain(transferred);

        var (id, sample) = await StartedAsync(await StartAsync(_hall.Inspector, new { from = "2026-03-01", to = "2026-03-31", sampleSize = 2 }));
        sample.Length.ShouldBe(2);
        sample.ShouldBeSubsetOf(closed);
        (await StartedAsync(await StartAsync(_hall.Auditor, new { from = "2026-04-01", to = "2026-04-30", sampleSize = 5 }))).CaseIds.ShouldBeEmpty();

        var grades = $"/api/audit/file-reviews/{id}/grades";
        var graded = await _hall.PostAsync(_hall.Auditor, grades, new { caseId = sample[0], grade = "excellent", findings = "卷宗完整" });
        await graded.ShouldBeAsync(HttpStatusCode.OK);
        await (await _hall.PostAsync(_hall.Auditor, grades, new { caseId = sample[0], grade = "pass", findings = "" })).ShouldBeRefusedAsync("already-decided");
        await (await _hall.PostAsync(_hall.Auditor, grades, new { caseId = sample[1], grade = "fail", findings = " " })).ShouldBeRefusedAsync("reason-required");
        await (await _hall.PostAsync(_hall.Auditor, grades, new { caseId = open, grade = "pass" })).ShouldBeRefusedAsync("case-not-in-sample");
        await (await _hall.PostAsync(_hall.Inspector, grades, new { caseId = sample[1], grade = "fail", findings = "缺少告知书送达回证" })).ShouldBeAsync(HttpStatusCode.OK);

        var view = await (await _hall.Auditor.GetAsync($"/api/audit/file-reviews/{id}")).ReadJsonAsync();
        view["caseIds"]!.AsArray().Select(c => c!.GetValue<string>()).ShouldBe(sample);
        view["grades"]!.AsArray().Select(g => (g!.Str("caseId"), g.Str("grade"), g.Str("gradedBy")))
            .ShouldBe([(sample[0], "excellent", "auditor-1"), (sample[1], "fail", "inspector-1")]);
        (await _hall.StreamVersionAsync($"file-review-{id}")).ShouldBe(3);
    }

    [Theory]
    [InlineData("""{ "to": "2026-03-31", "sampleSize": 2 }""", "from")]
    [InlineData("""{ "from": "2026-03-31", "to": "2026-03-01", "sampleSize": 2 }""", "to")]
    [InlineData("""{ "from": "2026-03-01", "to": "2026-03-31", "sampleSize": 0 }""", "sampleSize")]
    public async Task An_invalid_request_is_a_400_naming_the_field(string body, string field)
    {
        var response = await _hall.Auditor.PostAsync("/api/audit/file-reviews", Http.Json(body));

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await response.ReadJsonAsync())["errors"]![field].ShouldNotBeNull();
    }

    [Fact]
    public async Task Grades_of_an_unknown_review_are_a_404_and_a_bad_grade_a_400()
    {
        (await _hall.PostAsync(_hall.Auditor, "/api/audit/file-reviews/nope/grades", new { caseId = "c", grade = "pass" })).StatusCode
            .ShouldBe(HttpStatusCode.NotFound);
        (await _hall.Auditor.GetAsync("/api/audit/file-reviews/nope")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await _hall.Auditor.PostAsync("/api/audit/file-reviews/nope/grades", Http.Json("""{ "caseId": "c", "grade": "superb" }""")))
            .StatusCode.ShouldBe(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task Only_auditors_and_inspectors_review_files()
    {
        var body = new { from = "2026-03-01", to = "2026-03-31", sampleSize = 1 };
        foreach (var role in new[] { Roles.Manager, Roles.Clerk, Roles.Leader, Roles.Applicant })
            (await StartAsync(_hall.As($"x-{role}", [role], "HALL"), body)).StatusCode.ShouldBe(HttpStatusCode.Forbidden, role);
    }
}
