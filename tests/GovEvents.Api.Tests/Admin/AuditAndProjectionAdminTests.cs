using System.Net;
using System.Net.Http.Json;
using GovEvents.Api.Tests.Infrastructure;
using GovEvents.Store;
using Microsoft.Extensions.DependencyInjection;
using Marten.Events.Daemon.Coordination;
using Npgsql;
using Shouldly;

namespace GovEvents.Api.Tests.Admin;

public sealed class AuditAndProjectionAdminTests(ApiHost api) : IClassFixture<ApiHost>
{
    private async Task<string> CreateDepartmentAsync()
    {
        var code = "D" + Guid.NewGuid().ToString("N")[..8];
        var response = await api.CreateClient("manager").PostAsJsonAsync("/api/departments", new { code, name = "测试局" });
        response.StatusCode.ShouldBe(HttpStatusCode.Created);
        return code;
    }

    [Fact]
    public async Task An_auditor_reads_a_stream_with_its_metadata_and_the_global_feed_from_a_sequence()
    {
        var code = await CreateDepartmentAsync();
        var auditor = api.CreateClient("auditor");

        var events = (await auditor.GetFromJsonAsync<List<AuditEvent>>($"/api/audit/streams/department-{code}/events"))!;
        events.Single().Type.ShouldBe("department_created");
        events[0].Metadata.GetProperty("actorId").GetString().ShouldBe("user-manager");
        events[0].Hash.Length.ShouldBe(64);

        var feed = (await auditor.GetFromJsonAsync<List<AuditEvent>>($"/api/audit/events?fromSequence={events[0].Sequence}&limit=1"))!;
        feed.Single().Sequence.ShouldBe(events[0].Sequence);
        (await auditor.GetAsync("/api/audit/streams/department-none/events")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await auditor.GetAsync("/api/audit/events?limit=0")).StatusCode.ShouldBe(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task Audit_reads_are_the_auditors_only()
    {
        (await api.CreateClient("clerk").GetAsync("/api/audit/integrity")).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await api.CreateClient("inspector").GetAsync("/api/audit/events")).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await api.CreateClient().GetAsync("/api/audit/integrity")).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task Integrity_is_verified_over_every_event()
    {
        await CreateDepartmentAsync();
        var report = (await api.CreateClient("auditor").GetFromJsonAsync<IntegrityReport>("/api/audit/integrity"))!;
        report.Ok.ShouldBeTrue();
        report.VerifiedEvents.ShouldBeGreaterThan(0);
        report.FirstBrokenSequence.ShouldBeNull();
    }

    [Fact]
    public async Task Projections_are_listed_and_a_rebuild_is_accepted_and_ends_running()
    {
        await CreateDepartmentAsync();
        var manager = api.CreateClient("manager");
        var list = (await manager.GetFromJsonAsync<List<ProjectionRow>>("/api/admin/projections"))!;
        list.ShouldContain(p => p.Name == "case_views");

        var rebuild = await manager.PostAsync("/api/admin/projections/case_views/rebuild", null);
        rebuild.StatusCode.ShouldBe(HttpStatusCode.Accepted);
        (await manager.PostAsync("/api/admin/projections/nothing/rebuild", null)).StatusCode.ShouldBe(HttpStatusCode.NotFound);

        for (var i = 0; i < 50; i++)
        {
            var row = (await manager.GetFromJsonAsync<List<ProjectionRow>>("/api/admin/projections"))!.Single(p => p.Name == "case_views");
            if (row.Status == "running") break;
            await Task.Delay(100);
        }
        (await manager.GetAsync("/api/admin/projections/caught-up?timeout=10")).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await api.CreateClient("clerk").GetAsync("/api/admin/projections")).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await api.CreateClient("inspector").GetAsync("/api/admin/projections/caught-up?timeout=1")).StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task Caught_up_is_a_504_while_a_projection_is_behind_and_200_once_it_has_caught_up()
    {
        var daemon = api.Services.GetRequiredService<IProjectionCoordinator>();
        await daemon.PauseAsync();
        try
        {
            await api.Store.StartStreamAsync("probe-" + Guid.NewGuid().ToString("N"),
                [new GovEvents.Domain.Organisation.DepartmentCreated("X", "x", null, api.Clock.GetUtcNow())]);
            var behind = await api.CreateClient("manager").GetAsync("/api/admin/projections/caught-up?timeout=0.5");
            behind.StatusCode.ShouldBe(HttpStatusCode.GatewayTimeout);
        }
        finally
        {
            await daemon.ResumeAsync();
        }
        (await api.CreateClient("manager").GetAsync("/api/admin/projections/caught-up?timeout=10")).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await api.CreateClient("manager").GetAsync("/api/admin/projections/caught-up?timeout=-1")).StatusCode.ShouldBe(HttpStatusCode.BadRequest);
    }

    private sealed record AuditEvent(long Sequence, string StreamId, int Version, string Type, System.Text.Json.JsonElement Metadata, string Hash);
    private sealed record IntegrityReport(long VerifiedEvents, bool Ok, long? FirstBrokenSequence);
    private sealed record ProjectionRow(string Name, long Position, long Lag, string Status);
}
