using System.Net;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using GovEvents.Api.Tests.Infrastructure;
using Shouldly;

namespace GovEvents.Api.Tests.Supervision;

/// <summary>
/// Every metrics answer is a list { items, total, page, pageSize }; every list of the supervision,
/// metrics and audit endpoints answers CSV to ?format=csv and to Accept: text/csv, its columns the JSON field names.
/// </summary>
public sealed class ListShapeAndCsvTests(HallHost api) : IClassFixture<HallHost>
{
    private readonly Hall _hall = api.Hall;

    public static TheoryData<string> Metrics => new()
    {
        "/api/metrics/timeliness?groupBy=department", "/api/metrics/ratings", "/api/metrics/signing?groupBy=staff",
        "/api/metrics/complaints", "/api/metrics/parallel-review",
    };

    /// <summary>Every list (a path, and where its items sit in the JSON answer: null for an array answer).</summary>
    public static TheoryData<string, string?> EveryList => new()
    {
        { "/api/metrics/timeliness?groupBy=department", "items" }, { "/api/metrics/ratings", "items" },
        { "/api/metrics/signing?groupBy=staff", "items" }, { "/api/metrics/complaints", "items" },
        { "/api/metrics/parallel-review", "items" }, { "/api/supervision/lights", "cases" }, { "/api/supervision/alerts", "items" },
        { "/api/audit/events", null }, { "/api/audit/streams/{case}/events", null },
    };

    private async Task<string> BusyHallAsync()
    {
        var c = await _hall.AcceptedCaseAsync("T2");
        await (await _hall.SignAsync(c.Id, "market-h1", "handler")).ShouldBeAsync(HttpStatusCode.OK);
        await (await _hall.SignAsync(c.Id, "market-a1", "approver", onSite: false)).ShouldBeAsync(HttpStatusCode.OK);
        await (await _hall.CommandAsync(_hall.Clerk, c.Id, "ratings", new { stage = "acceptance", level = 5, comment = "好", realName = true }))
            .ShouldBeAsync(HttpStatusCode.Created);
        await (await _hall.PostAsync(_hall.Clerk, "/api/complaints", new
        {
            channel = "visit", target = new { kind = "case", id = c.Id }, category = "efficiency", content = "办理太慢",
            complainant = new { name = "李四", phone = "13900000000", realName = true },
        })).ShouldBeAsync(HttpStatusCode.Created);
        // Past the promised deadline of a second case: a red light.
        await _hall.AcceptedCaseAsync("T1");
        await _hall.SetClockAsync(Hall.At(6, 1));
        await _hall.CaughtUpAsync();
        await _hall.CaughtUpAsync();
        return c.Id;
    }

    private HttpClient Reader(string path) => path.StartsWith("/api/audit", StringComparison.Ordinal) ? _hall.Auditor : _hall.Inspector;

    [Theory]
    [MemberData(nameof(Metrics))]
    public async Task A_metrics_answer_is_a_list_in_the_contracts_shape(string path)
    {
        await BusyHallAsync();
        var response = await _hall.Inspector.GetAsync(path);
        await response.ShouldBeAsync(HttpStatusCode.OK);
        var body = await response.ReadJsonAsync();
        var items = body["items"].ShouldNotBeNull().AsArray();
        body["total"]!.GetValue<int>().ShouldBe(items.Count);
        body["page"]!.GetValue<int>().ShouldBe(1);
        body["pageSize"]!.GetValue<int>().ShouldBe(50);
        body["rows"].ShouldBeNull();

        var paged = await (await _hall.Inspector.GetAsync($"{path}{(path.Contains('?') ? '&' : '?')}page=2&pageSize=1")).ReadJsonAsync();
        paged["page"]!.GetValue<int>().ShouldBe(2);
        paged["items"]!.AsArray().Count.ShouldBe(items.Count >= 2 ? 1 : 0);
    }

    [Theory]
    [MemberData(nameof(EveryList))]
    public async Task Every_list_answers_csv_to_the_format_query_and_to_the_accept_header(string template, string? itemsAt)
    {
        var caseId = await BusyHallAsync();
        var path = template.Replace("{case}", caseId);
        var json = await (await Reader(path).GetAsync(path)).ReadJsonAsync();
        var items = (itemsAt is null ? json : json[itemsAt]!).AsArray();

        var byQuery = await Reader(path).GetAsync($"{path}{(path.Contains('?') ? '&' : '?')}format=csv");
        var byAccept = new HttpRequestMessage(HttpMethod.Get, path);
        byAccept.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/csv"));
        var byHeader = await Reader(path).SendAsync(byAccept);

        foreach (var response in new[] { byQuery, byHeader })
        {
            await response.ShouldBeAsync(HttpStatusCode.OK);
            response.MediaType().ShouldBe("text/csv");
            var lines = (await response.Content.ReadAsStringAsync()).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
            lines.Length.ShouldBe(items.Count + 1);
            if (items.Count > 0)
                lines[0].ShouldBe(string.Join(',', items[0]!.AsObject().Select(p => p.Key)));
        }
    }

    [Fact]
    public async Task An_unknown_format_is_a_400() =>
        await (await _hall.Inspector.GetAsync("/api/metrics/signing?format=xml")).ShouldBeInvalidAsync("format");
}
