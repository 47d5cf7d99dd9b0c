using System.Net;
using System.Text;
using GovEvents.Api.Tests.Infrastructure;
using Shouldly;

namespace GovEvents.Api.Tests.Cases;

/// <summary>
/// Bad input is a 400 problem with <c>errors</c> naming the field, never a 5xx, and it appends
/// nothing: malformed JSON, wrong types, unknown vocabulary values, missing fields.
/// </summary>
public sealed class BadInputTests(HallHost api) : IClassFixture<HallHost>
{
    private readonly Hall _hall = api.Hall;

    public static TheoryData<string, string, string, string?> CaseCommands() => new()
    {
        // path under /api/cases/{id} ("" = submission), role group, raw body, field named in errors
        { "", "intake", """{"matterCode":"T1",""", null },
        { "", "intake", """[]""", null },
        { "", "intake", """{"matterCode":5,"applicant":{"kind":"person","name":"a","idNumber":"1","phone":"1"},"channel":"window","materials":["form"]}""", "matterCode" },
        { "", "intake", """{"matterCode":"T1","applicant":{"kind":"alien","name":"a","idNumber":"1","phone":"1"},"channel":"window","materials":["form"]}""", "kind" },
        { "", "intake", """{"matterCode":"T1","applicant":{"kind":"person","name":"a","idNumber":"1","phone":"1"},"channel":"fax","materials":["form"]}""", "channel" },
        { "", "intake", """{"matterCode":"T1","channel":"window","materials":["form"]}""", "applicant" },
        { "", "intake", """{"matterCode":"T1","applicant":{"kind":"person","name":"a","idNumber":"1","phone":"1"},"channel":"window"}""", "materials" },
        { "", "intake", """{"matterCode":"T1","applicant":{"kind":"person","idNumber":"1","phone":"1"},"channel":"window","materials":["form"]}""", "applicant.name" },
        { "", "intake", """{"matterCode":"T1","applicant":{"kind":"person","name":"a","idNumber":"1","phone":"1"},"channel":"window","materials":"form"}""", "materials" },
        { "/acceptance", "reception", """{"deferred":"plan"}""", "deferred" },
        { "/acceptance", "reception", """{"deferred":[{"material":"plan","dueDate":"2026-13-45"}]}""", "dueDate" },
        { "/non-acceptance", "reception", "", null },
        { "/non-acceptance", "reception", """{"reason":["a"],"legalBasis":"b"}""", "reason" },
        { "/supplement-requests", "reception", """{"materials":[1,2]}""", "materials" },
        { "/licence", "reception", """{"licenceNumber":"L-1","validUntil":"someday"}""", "validUntil" },
        { "/delivery", "reception", """{"method":"carrier-pigeon"}""", "method" },
        { "/transfer", "reception", """{"toHall":{},"reason":"x"}""", "toHall" },
        { "/signatures", "review", """{"tier":1,"opinion":"approve","onSite":true}""", "tier" },
        { "/signatures", "review", """{"tier":"approver","opinion":"approve","onSite":"yes"}""", "onSite" },
        { "/signatures", "review", """{"tier":"approver","opinion":"approve","onSite":true""", null },
        { "/suspensions", "review", """{"reason":"hearing","expectedDays":"five","approvedBy":"x"}""", "expectedDays" },
        { "/extension", "review", """{"days":3.5,"approvedBy":"x","reason":"y"}""", "days" },
        { "/parallel-review", "review", """{"participants":"FIRE"}""", "participants" },
        { "/parallel-review/opinions", "review", """{"departmentCode":"FIRE","opinion":"meh"}""", "opinion" },
        { "/parallel-review/meetings", "meetings", """{"heldAt":"tomorrow","attendees":[]}""", "heldAt" },
        { "/post-check", "review", """{"outcome":"probably"}""", "outcome" },
        { "/withdrawal", "intake", """{"reason":42}""", "reason" },
    };

    private HttpClient For(string group) => group switch
    {
        "intake" or "reception" => _hall.Clerk,
        "meetings" => _hall.Leader("market-lead", "MARKET"),
        _ => _hall.Leader("market-lead", "MARKET"),
    };

    [Theory]
    [MemberData(nameof(CaseCommands))]
    public async Task Bad_input_to_a_case_command_is_a_400_with_errors_and_appends_nothing(string command, string group, string body, string? field)
    {
        var c = await _hall.AcceptedCaseAsync("T1");
        var path = command.Length == 0 ? "/api/cases" : $"/api/cases/{c.Id}{command}";
        var before = await api.EventCountAsync();

        var response = await For(group).PostAsync(path, new StringContent(body, Encoding.UTF8, "application/json"));

        await response.ShouldBeInvalidAsync(field);
        (await api.EventCountAsync()).ShouldBe(before);
        (await _hall.StreamVersionAsync(c.Id)).ShouldBe(2);
    }

    public static TheoryData<string, string, string, string?> ManagerCommands() => new()
    {
        { "POST", "/api/departments", """{"code":"LAW",""", null },
        { "POST", "/api/departments", """{"name":"司法局"}""", "code" },
        { "POST", "/api/departments", """{"code":"has spaces","name":"x"}""", "code" },
        { "POST", "/api/departments", """{"code":"LAW"}""", "name" },
        { "PUT", "/api/departments/MARKET/leader", """{}""", "staffId" },
        { "POST", "/api/windows", """{"code":"W9","name":"x","kind":"vip"}""", "kind" },
        { "POST", "/api/windows", """{"code":"W9","name":"x"}""", "kind" },
        { "POST", "/api/windows", """{"code":"W9","name":"x","kind":"department"}""", "departmentCode" },
        { "POST", "/api/windows", """{"code":"W9","name":"x","kind":"department","departmentCode":"NOPE"}""", "departmentCode" },
        { "POST", "/api/staff", """{"id":"s9","name":"x"}""", "departmentCode" },
        { "POST", "/api/staff", """{"id":"s9","name":"x","departmentCode":"NOPE"}""", "departmentCode" },
        { "POST", "/api/staff", """{"id":"s9","name":"x","departmentCode":"MARKET","windowCode":"NOPE"}""", "windowCode" },
        { "POST", "/api/delegations", """{"staffId":"market-h1","departmentCode":"MARKET","matterCodes":["*"],"tiers":["boss"],"validFrom":"2026-01-01","validTo":"2026-12-31"}""", "tiers" },
        { "POST", "/api/delegations", """{"staffId":"market-h1","departmentCode":"MARKET","matterCodes":["*"],"tiers":["handler"],"validFrom":"2026-02-30","validTo":"2026-12-31"}""", "validFrom" },
        { "POST", "/api/delegations", """{"staffId":"market-h1","departmentCode":"MARKET","matterCodes":["*"],"tiers":["handler"],"validFrom":"2026-12-31","validTo":"2026-01-01"}""", "validTo" },
        { "POST", "/api/delegations", """{"staffId":"market-h1","departmentCode":"MARKET","matterCodes":[],"tiers":["handler"],"validFrom":"2026-01-01","validTo":"2026-12-31"}""", "matterCodes" },
        { "POST", "/api/delegations", """{"staffId":"nobody","departmentCode":"MARKET","matterCodes":["*"],"tiers":["handler"],"validFrom":"2026-01-01","validTo":"2026-12-31"}""", "staffId" },
        { "POST", "/api/delegations", """{"departmentCode":"MARKET","matterCodes":["*"],"tiers":["handler"]}""", "staffId" },
        { "PUT", "/api/calendar/2026", """{"holidays":["not a date"]}""", "holidays" },
        { "PUT", "/api/calendar/2026", """{"holidays":["2027-01-01"]}""", "holidays" },
        { "PUT", "/api/calendar/2026", """{"workdays":["2026-03-04"]}""", "workdays" },
        { "PUT", "/api/calendar/2026", """{"holidays":["2026-02-14"],"workdays":["2026-02-14"]}""", "workdays" },
        { "PUT", "/api/calendar/1999", """{}""", "year" },
        { "POST", "/api/matters", """{"code":"M9","name":"x","category":"magic"}""", "category" },
        { "POST", "/api/matters", """{"code":"M9","name":"x","category":"licensing","level":"galaxy"}""", "level" },
        { "POST", "/api/matters", """{"code":"M9","name":"x","category":"licensing","statutoryDays":"twenty"}""", "statutoryDays" },
        { "POST", "/api/matters", """{"code":"M9","name":"x","departmentCode":"MARKET","legalBasis":"b","level":"city","serviceObject":"both","statutoryDays":20,"promisedDays":10,"tiers":2,"materials":[]}""", "category" },
        { "PUT", "/api/matters/T1", """{"code":"T1","name":"x","departmentCode":"MARKET","legalBasis":"b","level":"city","serviceObject":"both","statutoryDays":20,"promisedDays":10,"tiers":2,"materials":[]}""", "category" },
        { "PUT", "/api/matters/T1", """{"code":"T1","name":"x","category":"licensing","departmentCode":"MARKET","legalBasis":"b","level":"city","serviceObject":"both","statutoryDays":20,"promisedDays":10,"materials":[]}""", "tiers" },
        { "PUT", "/api/matters/T1", """{"code":"T1","name":"x","category":"licensing","departmentCode":"MARKET","legalBasis":"b","serviceObject":"both","statutoryDays":20,"promisedDays":10,"tiers":1,"materials":[]}""", "level" },
    };

    [Theory]
    [MemberData(nameof(ManagerCommands))]
    public async Task Bad_input_to_an_organisation_or_catalogue_command_is_a_400_with_errors_and_appends_nothing(string method, string path, string body, string? field)
    {
        var before = await api.Store.ReadAllAsync(0, 100_000);

        var response = await _hall.Manager.SendAsync(new HttpRequestMessage(new HttpMethod(method), path)
        {
            Content = new StringContent(body, Encoding.UTF8, "application/json"),
        });

        await response.ShouldBeInvalidAsync(field);
        (await api.Store.ReadAllAsync(0, 100_000)).Count.ShouldBe(before.Count);
    }
}
