using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using GovEvents.Api.Hosting.Auth;
using GovEvents.Api.Tests.Infrastructure;
using GovEvents.Domain.Cases;
using Shouldly;

namespace GovEvents.Api.Tests.Cases;

/// <summary>
/// An applicant's id number and phone in full for those who need them (the applicant, the case's department,
/// the window that received it), masked for inspectors, auditors and other departments, in the view, the state,
/// the work queue and the history; the events keep the full values.
/// </summary>
public sealed class PersonalDataTests(HallHost api) : IClassFixture<HallHost>
{
    private const string IdNumber = "110101199001011237";
    private const string Phone = "13812345678";
    private const string MaskedId = "1101**********1237";
    private const string MaskedPhone = "138****5678";
    private readonly Hall _hall = api.Hall;

    private async Task<string> SubmitAtTheWindowAsync()
    {
        var response = await _hall.Clerk.PostAsJsonAsync("/api/cases", new
        {
            matterCode = "T1", applicant = new { kind = "person", name = "王五", idNumber = IdNumber, phone = Phone },
            channel = "window", materials = HallSeed.CompleteMaterials("T1"),
        });
        await response.ShouldBeAsync(HttpStatusCode.Created);
        var id = (await response.ReadJsonAsync()).Str("id");
        await _hall.CaughtUpAsync();
        return id;
    }

    private static (string IdNumber, string Phone) Shown(JsonNode applicant) => (applicant.Str("idNumber"), applicant.Str("phone"));

    private async Task<(string, string)> ViewedByAsync(HttpClient reader, string id) => Shown((await _hall.ViewAsync(id, reader))["applicant"]!);

    [Fact]
    public async Task The_case_view_shows_the_id_number_and_phone_in_full_only_to_those_who_need_them()
    {
        var id = await SubmitAtTheWindowAsync();

        (await ViewedByAsync(_hall.Handler(), id)).ShouldBe((IdNumber, Phone));                        // the case's department
        (await ViewedByAsync(_hall.Clerk, id)).ShouldBe((IdNumber, Phone));                            // the window that received it
        (await ViewedByAsync(_hall.Handler("fire-h1", "FIRE"), id)).ShouldBe((MaskedId, MaskedPhone)); // another department
        (await ViewedByAsync(_hall.Manager, id)).ShouldBe((MaskedId, MaskedPhone));
        (await ViewedByAsync(_hall.Auditor, id)).ShouldBe((MaskedId, MaskedPhone));
        (await ViewedByAsync(_hall.As("inspector-market", [Roles.Inspector], Hall.Department), id)).ShouldBe((MaskedId, MaskedPhone));

        var state = await (await _hall.Inspector.GetAsync($"/api/cases/{id}/state?version=1")).ReadJsonAsync();
        Shown(state["applicant"]!).ShouldBe((MaskedId, MaskedPhone));
    }

    [Fact]
    public async Task The_applicant_sees_their_own_in_full()
    {
        var applicant = _hall.Applicant("applicant-pd");
        var response = await applicant.PostAsJsonAsync("/api/cases", new
        {
            matterCode = "T1", applicant = new { kind = "person", name = "王五", idNumber = IdNumber, phone = Phone },
            channel = "online", materials = HallSeed.CompleteMaterials("T1"),
        });
        var id = (await response.ReadJsonAsync()).Str("id");

        (await ViewedByAsync(applicant, id)).ShouldBe((IdNumber, Phone));
        (await ViewedByAsync(_hall.Manager, id)).ShouldBe((MaskedId, MaskedPhone));
    }

    [Fact]
    public async Task The_work_queue_and_the_history_mask_them_too_while_the_events_keep_them()
    {
        var id = await SubmitAtTheWindowAsync();

        var queue = await (await _hall.Inspector.GetAsync("/api/cases?pageSize=500")).ReadJsonAsync();
        Shown(queue["items"]!.AsArray().Single(i => i.Str("id") == id)!["applicant"]!).ShouldBe((MaskedId, MaskedPhone));
        var own = await (await _hall.Handler().GetAsync("/api/cases?pageSize=500")).ReadJsonAsync();
        Shown(own["items"]!.AsArray().Single(i => i.Str("id") == id)!["applicant"]!).ShouldBe((IdNumber, Phone));

        var history = await (await _hall.Auditor.GetAsync($"/api/cases/{id}/history")).ReadJsonAsync();
        Shown(history.AsArray()[0]!["data"]!["applicant"]!).ShouldBe((MaskedId, MaskedPhone));

        var stored = (CaseSubmitted)(await api.Store.FetchStreamAsync(id)).Single().Data;
        (stored.Applicant.IdNumber, stored.Applicant.Phone).ShouldBe((IdNumber, Phone));
    }

    [Fact]
    public async Task A_complainants_phone_is_masked_for_inspectors_and_shown_to_the_managers_who_handle_it()
    {
        var filed = await _hall.Applicant("complainant-pd").PostAsJsonAsync("/api/complaints", new
        {
            channel = "online", target = new { kind = "window", id = Hall.Window }, category = "conduct", content = "态度生硬",
            complainant = new { name = "李四", phone = Phone, realName = true },
        });
        var id = (await filed.ReadJsonAsync()).Str("id");

        (await (await _hall.Inspector.GetAsync($"/api/complaints/{id}")).ReadJsonAsync())["complainant"]!.Str("phone").ShouldBe(MaskedPhone);
        (await (await _hall.Manager.GetAsync($"/api/complaints/{id}")).ReadJsonAsync())["complainant"]!.Str("phone").ShouldBe(Phone);
        await _hall.CaughtUpAsync();
        var list = await (await _hall.Inspector.GetAsync("/api/complaints?pageSize=500")).ReadJsonAsync();
        list["items"]!.AsArray().Single(c => c.Str("id") == id)!["complainant"]!.Str("phone").ShouldBe(MaskedPhone);
    }

    [Theory]
    [InlineData("110101199001011237", 4, 4, "1101**********1237")]
    [InlineData("13812345678", 3, 4, "138****5678")]
    [InlineData("12345", 4, 4, "***45")]
    [InlineData("", 4, 4, "")]
    public void Masking_keeps_the_ends_and_hides_the_middle(string value, int start, int end, string masked) =>
        GovEvents.Api.Cases.PersonalData.Mask(value, start, end).ShouldBe(masked);
}
