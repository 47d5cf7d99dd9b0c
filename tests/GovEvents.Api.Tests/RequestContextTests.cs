using System.Net;
using GovEvents.Api.Hosting.Auth;
using GovEvents.Api.Tests.Infrastructure;
using GovEvents.Domain.Organisation;
using Microsoft.Extensions.DependencyInjection;
using GovEvents.Store;
using Shouldly;

namespace GovEvents.Api.Tests;

public sealed class RequestContextTests(ApiHost api) : IClassFixture<ApiHost>
{
    private async Task<StoredEvent> TakeNoteAsync(HttpClient client, HttpRequestMessage request)
    {
        var response = await client.SendAsync(request);
        response.StatusCode.ShouldBe(HttpStatusCode.Created);
        var id = (await response.ReadJsonAsync())["id"]!.GetValue<string>();
        return (await api.Store.FetchStreamAsync(id)).ShouldHaveSingleItem();
    }

    [Fact]
    public async Task Events_appended_by_a_request_carry_the_caller_as_metadata_with_the_window_the_organisation_registered()
    {
        await api.Store.StartStreamAsync("staff-staff-42", [new StaffRegistered("staff-42", "Wang", "D01", "W01", DateTimeOffset.UnixEpoch)]);
        var client = api.CreateClientFor("staff-42", [Roles.Clerk], departmentCode: "D01");
        var request = Http.Post("/test/notes", new { text = "hello" });
        request.Headers.Add("X-Correlation-Id", "flow-1");
        request.Headers.Add("X-Window", "W03"); // the client's word about its window is not taken

        var stored = await TakeNoteAsync(client, request);

        var meta = stored.Metadata;
        meta.ActorId.ShouldBe("staff-42");
        meta.ActorKind.ShouldBe(ActorKind.Staff);
        meta.Role.ShouldBe(Roles.Clerk);
        meta.Department.ShouldBe("D01");
        meta.Window.ShouldBe("W01");
        meta.CorrelationId.ShouldBe("flow-1");
        meta.CausationId.ShouldNotBeNullOrEmpty();
    }

    [Fact]
    public async Task A_window_claim_of_the_token_is_the_window_and_staff_without_either_act_at_none()
    {
        var issuer = api.Services.GetRequiredService<TokenIssuer>();
        var claimed = ApiHost.WithToken(api.CreateClient(), issuer.Issue("staff-77", [Roles.Clerk], "D01", "W05"));
        var unregistered = api.CreateClientFor("staff-78", [Roles.Clerk], departmentCode: "D01");

        var withClaim = Http.Post("/test/notes", new { text = "claim" });
        withClaim.Headers.Add("X-Window", "W03");
        var withHeaderOnly = Http.Post("/test/notes", new { text = "header" });
        withHeaderOnly.Headers.Add("X-Window", "W03");

        (await TakeNoteAsync(claimed, withClaim)).Metadata.Window.ShouldBe("W05");
        (await TakeNoteAsync(unregistered, withHeaderOnly)).Metadata.Window.ShouldBeNull();
    }

    [Fact]
    public async Task An_applicant_is_recorded_as_an_applicant_and_an_agent_as_staff()
    {
        var byApplicant = await TakeNoteAsync(api.CreateClientFor("person-1", [Roles.Applicant]), Http.Post("/test/notes", new { text = "a" }));
        var byAgent = await TakeNoteAsync(api.CreateClientFor("staff-9", [Roles.Agent]), Http.Post("/test/notes", new { text = "b" }));

        byApplicant.Metadata.ActorKind.ShouldBe(ActorKind.Applicant);
        byAgent.Metadata.ActorKind.ShouldBe(ActorKind.Staff);
    }

    [Fact]
    public async Task Without_a_correlation_header_the_trace_id_correlates_and_is_echoed()
    {
        var response = await api.CreateClient(Roles.Clerk).SendAsync(Http.Post("/test/notes", new { text = "c" }));
        var id = (await response.ReadJsonAsync())["id"]!.GetValue<string>();
        var stored = (await api.Store.FetchStreamAsync(id)).ShouldHaveSingleItem();

        var echoed = response.Headers.GetValues("X-Correlation-Id").ShouldHaveSingleItem();
        stored.Metadata.CorrelationId.ShouldBe(echoed);
    }
}
