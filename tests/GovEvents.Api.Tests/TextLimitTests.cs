using System.Net;
using System.Text;
using GovEvents.Api.Hosting.Json;
using GovEvents.Api.Tests.Infrastructure;
using Shouldly;

namespace GovEvents.Api.Tests;

/// <summary>Every text field has a maximum length (a 400 naming it, nothing appended), and a body has one too (413).</summary>
public sealed class TextLimitTests(HallHost api) : IClassFixture<HallHost>
{
    private readonly Hall _hall = api.Hall;

    private async Task<int> EventCountAsync() => (await api.Store.ReadAllAsync(0, 100_000)).Count;

    [Theory]
    [InlineData("name", TextLimits.Name)]
    [InlineData("idNumber", TextLimits.IdNumber)]
    [InlineData("phone", TextLimits.Phone)]
    public async Task An_applicant_field_over_its_limit_is_a_400_naming_it_and_appends_nothing(string field, int limit)
    {
        var applicant = new Dictionary<string, object> { ["kind"] = "person", ["name"] = "张三", ["idNumber"] = "110101199001011234", ["phone"] = "13800000000" };
        applicant[field] = new string('9', limit);
        await (await _hall.SubmitRawAsync("T1", applicant: applicant)).ShouldBeAsync(HttpStatusCode.Created);

        var before = await EventCountAsync();
        applicant[field] = new string('9', limit + 1);
        await (await _hall.SubmitRawAsync("T1", applicant: applicant)).ShouldBeInvalidAsync($"$.applicant.{field}");
        (await EventCountAsync()).ShouldBe(before);
    }

    [Fact]
    public async Task A_comment_note_or_reason_over_its_limit_is_a_400_and_appends_nothing()
    {
        var c = await _hall.AcceptedCaseAsync("T2");
        var version = await _hall.StreamVersionAsync(c.Id);

        await (await _hall.CommandAsync(_hall.Signer("market-h1"), c.Id, "signatures",
            new { tier = "handler", opinion = "approve", comment = new string('意', TextLimits.Text + 1), onSite = true })).ShouldBeInvalidAsync("$.comment");
        await (await _hall.CommandAsync(_hall.Clerk, c.Id, "withdrawal", new { reason = new string('x', 1_000_000) })).ShouldBeInvalidAsync("$.reason");
        await (await _hall.CommandAsync(_hall.Clerk, c.Id, "supplements", new { materials = new[] { new string('m', TextLimits.Code + 1) } }))
            .ShouldBeInvalidAsync("$.materials");
        (await _hall.StreamVersionAsync(c.Id)).ShouldBe(version);

        await (await _hall.CommandAsync(_hall.Signer("market-h1"), c.Id, "signatures",
            new { tier = "handler", opinion = "approve", comment = new string('意', TextLimits.Text), onSite = true })).ShouldBeAsync(HttpStatusCode.OK);
    }

    [Fact]
    public async Task A_body_over_the_limit_is_a_413_problem()
    {
        var before = await EventCountAsync();
        var body = "{\"matterCode\":\"T1\",\"padding\":\"" + new string('x', 300 * 1024) + "\"}";
        var response = await _hall.Clerk.PostAsync("/api/cases", new StringContent(body, Encoding.UTF8, "application/json"));

        await response.ShouldBeAsync(HttpStatusCode.RequestEntityTooLarge);
        response.MediaType().ShouldBe("application/problem+json");
        (await EventCountAsync()).ShouldBe(before);
    }
}
