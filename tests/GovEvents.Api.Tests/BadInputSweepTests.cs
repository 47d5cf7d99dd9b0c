using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using GovEvents.Api.Hosting.Auth;
using GovEvents.Api.Tests.Infrastructure;
using Shouldly;

namespace GovEvents.Api.Tests;

/// <summary>
/// "Bad input gets a problem-details 4xx, never a 5xx", for every operation of the Swagger
/// document: malformed, mistyped, out-of-range and hostile bodies and queries, sent by a token
/// that holds every writing role, against a seeded hall and a real case.
/// </summary>
public sealed partial class BadInputSweepTests(HallHost api) : IClassFixture<HallHost>
{
    private static readonly string?[] Bodies =
    [
        null, "", "{}", "[]", """{"a":""", "null", "\"text\"", "123", "\u0000\u0001",
        """{"matterCode":123,"amount":"abc","items":"none","materials":"form"}""",
        """{"amount":1e400,"year":99999999999,"days":-5,"expectedDays":-1,"tiers":0}""",
        """{"items":[{"feeItemCode":null,"amount":-1}],"tier":"god","opinion":"maybe"}""",
        """{"validUntil":"2026-13-45","from":"x","to":"y","holidays":["2026-02-30"],"dueDate":"yesterday"}""",
        """{"applicant":[],"target":7,"participants":{},"deferred":"all"}""",
        """{"code":"x\u0000y","name":"\ud800","reason":"\u0000","comment":"\u0000"}""",
        "{\"code\":\"" + new string('x', 5000) + "\"}",
        """{"nested":{"deep":[[[[[[[[[[1]]]]]]]]]]}}""",
    ];

    private static readonly string[] Queries =
    [
        "?limit=-1", "?limit=abc", "?limit=99999999999", "?fromSequence=-5", "?asOf=notadate", "?version=-1",
        "?timeout=abc", "?timeout=-3", "?light=purple", "?status=nonsense", "?from=2026-99-99", "?queryCode=%00",
        "?from=0001-01-01&to=0001-01-01", "?from=9999-12-31", "?to=9999-12-31&format=csv", "?groupBy=staff&stage=completion",
    ];

    [Fact]
    public async Task No_operation_answers_bad_input_with_a_5xx()
    {
        var hall = api.Hall;
        var submitted = await hall.SubmitAsync("T1");
        var document = await (await hall.Anonymous.GetAsync("/swagger/v1/swagger.json")).ReadJsonAsync();
        var everyWriter = api.CreateClientFor("sweep-1",
            [Roles.Manager, Roles.Clerk, Roles.Handler, Roles.Reviewer, Roles.Approver, Roles.Leader, Roles.Cashier, Roles.Applicant, Roles.Agent], "MARKET");
        var values = new Dictionary<string, string>
        {
            ["id"] = submitted.Id, ["caseId"] = submitted.Id, ["code"] = "T1", ["year"] = "2026", ["name"] = "case_views",
            ["caseNumber"] = submitted.CaseNumber, ["staffId"] = "market-h1",
        };

        var failures = new List<string>();
        var operations = 0;
        foreach (var (template, item) in document["paths"]!.AsObject())
        {
            // The dev clock and tokens are the tests' own tools; /test/* are this suite's probes (one throws on purpose).
            if (template.StartsWith("/api/dev/", StringComparison.Ordinal) || template.StartsWith("/test/", StringComparison.Ordinal)) continue;
            var path = Parameter().Replace(template, m => values.GetValueOrDefault(m.Groups[1].Value, "unknown-1"));
            foreach (var (verb, _) in item!.AsObject())
            {
                operations++;
                var method = new HttpMethod(verb.ToUpperInvariant());
                var writes = method != HttpMethod.Get && method != HttpMethod.Delete;
                foreach (var body in writes ? Bodies : [null])
                    await ExpectNoServerError(everyWriter, method, path, body, failures);
                if (method == HttpMethod.Get)
                    foreach (var query in Queries)
                        await ExpectNoServerError(everyWriter, method, path + query, null, failures);
            }
        }

        operations.ShouldBeGreaterThan(60);
        failures.ShouldBeEmpty();
    }

    private static async Task ExpectNoServerError(HttpClient client, HttpMethod method, string url, string? body, List<string> failures)
    {
        using var request = new HttpRequestMessage(method, url);
        if (body is not null) request.Content = new StringContent(body, Encoding.UTF8, "application/json");
        using var response = await client.SendAsync(request);
        if ((int)response.StatusCode >= 500)
            failures.Add($"{method} {url} {body?[..Math.Min(body.Length, 60)]} → {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        else if ((int)response.StatusCode >= 400 && response.StatusCode != HttpStatusCode.MethodNotAllowed)
            response.Content.Headers.ContentType?.MediaType.ShouldBe("application/problem+json", $"{method} {url}");
    }

    [GeneratedRegex(@"\{([^}]+)\}")]
    private static partial Regex Parameter();
}
