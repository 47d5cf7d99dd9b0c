using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using GovEvents.Api.Audit;
using GovEvents.Api.Tests.Infrastructure;
using GovEvents.Store.TamperEvidence;
using Microsoft.Extensions.Options;
using Npgsql;
using Shouldly;

namespace GovEvents.Api.Tests.Audit;

/// <summary>A host with a seal key, sealing only on demand, exporting to a directory of its own.</summary>
public class SealingApiHost : ApiHost
{
    public string ExportDirectory { get; } = Path.Combine(Path.GetTempPath(), "govevents-seals-" + Guid.NewGuid().ToString("N"));

    protected override void ConfigureSettings(IDictionary<string, string?> settings)
    {
        settings["GovEvents:Seal:Keys:hall-2026"] = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
        settings["GovEvents:Seal:IntervalMinutes"] = "0";
        settings["GovEvents:Seal:ExportDirectory"] = ExportDirectory;
    }

    public async Task<string> CreateDepartmentAsync()
    {
        var code = "D" + Guid.NewGuid().ToString("N")[..8];
        (await CreateClient("manager").PostAsJsonAsync("/api/departments", new { code, name = "测试局" })).StatusCode.ShouldBe(HttpStatusCode.Created);
        return code;
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        if (Directory.Exists(ExportDirectory)) Directory.Delete(ExportDirectory, recursive: true);
    }
}

/// <summary>Sealing through a short interval: the poller seals, and again once the hall clock moved on an interval.</summary>
public sealed class PeriodicSealingApiHost : SealingApiHost
{
    protected override void ConfigureSettings(IDictionary<string, string?> settings)
    {
        base.ConfigureSettings(settings);
        settings["GovEvents:Seal:IntervalMinutes"] = "0.01";
    }
}

public sealed class SealEndpointTests(SealingApiHost api) : IClassFixture<SealingApiHost>
{
    [Fact]
    public async Task An_auditor_seals_on_demand_and_the_seal_is_listed_exported_and_verified()
    {
        await api.CreateDepartmentAsync();
        var auditor = api.CreateClient("auditor");

        var made = await auditor.PostAsync("/api/audit/seals", null);
        made.StatusCode.ShouldBe(HttpStatusCode.OK);
        var seal = (await made.Content.ReadFromJsonAsync<List<SealResponse>>())!.ShouldHaveSingleItem();
        seal.KeyId.ShouldBe("hall-2026");
        seal.Mac.Length.ShouldBe(64);
        seal.Sequence.ShouldBeGreaterThan(seal.ThroughSequence);
        (await (await auditor.PostAsync("/api/audit/seals", null)).Content.ReadFromJsonAsync<List<SealResponse>>())!.ShouldBeEmpty();

        var listed = (await auditor.GetFromJsonAsync<List<SealResponse>>($"/api/audit/seals?afterNumber={seal.Number - 1}"))!;
        listed.ShouldHaveSingleItem().Mac.ShouldBe(seal.Mac);
        File.Exists(Path.Combine(api.ExportDirectory, SealArchive.FileName(seal.Number))).ShouldBeTrue();

        var report = (await auditor.GetFromJsonAsync<IntegrityResponse>("/api/audit/integrity"))!;
        report.Ok.ShouldBeTrue();
        report.Sealing.ShouldBeTrue();
        report.Seals.ShouldBe((int)seal.Number);
        report.SealedThrough.ShouldBe(seal.ThroughSequence);
    }

    [Fact]
    public async Task Sealing_is_the_auditors_and_bad_paging_is_a_400()
    {
        (await api.CreateClient("clerk").PostAsync("/api/audit/seals", null)).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await api.CreateClient("manager").PostAsync("/api/audit/seals", null)).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await api.CreateClient().GetAsync("/api/audit/seals")).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        var auditor = api.CreateClient("auditor");
        (await auditor.GetAsync("/api/audit/seals?limit=0")).StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await auditor.GetAsync("/api/audit/seals?afterNumber=-1")).StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await auditor.GetAsync("/api/audit/seals?afterNumber=99999999999")).StatusCode.ShouldBe(HttpStatusCode.BadRequest);
    }
}

public sealed class SealRewriteApiTests(SealingApiHost api) : IClassFixture<SealingApiHost>
{
    [Fact]
    public async Task A_department_a_superuser_rewrote_and_rehashed_is_reported_at_its_event()
    {
        var code = await api.CreateDepartmentAsync();
        await api.CreateDepartmentAsync();
        var auditor = api.CreateClient("auditor");
        (await auditor.PostAsync("/api/audit/seals", null)).StatusCode.ShouldBe(HttpStatusCode.OK);
        var streamId = $"department-{code}";
        var created = (await auditor.GetFromJsonAsync<List<SealedEventRow>>($"/api/audit/streams/{streamId}/events"))!.Single();

        await using (var owner = new NpgsqlConnection(api.Database.ConnectionString))
        {
            await owner.OpenAsync();
            await using var cmd = new NpgsqlCommand($$"""
                begin;
                set local session_replication_role = replica;
                update govevents.mt_events set data = jsonb_set(data, '{name}', '"改写局"') where seq_id = {{created.Sequence}};
                update govevents.ge_event_hashes h
                   set hash = govevents.ge_event_hash(null, e.stream_id, e.version, e.type, e.data, e.correlation_id, e.causation_id, e.headers, e."timestamp")
                  from govevents.mt_events e where e.seq_id = h.seq_id and h.seq_id = {{created.Sequence}};
                commit;
                """, owner);
            await cmd.ExecuteNonQueryAsync();
        }

        var report = (await auditor.GetFromJsonAsync<IntegrityResponse>("/api/audit/integrity"))!;
        report.Ok.ShouldBeFalse();
        report.FirstBrokenSequence.ShouldBe(created.Sequence);
        report.FirstBrokenStream.ShouldBe(streamId);
        report.Reason.ShouldBe("its history no longer matches seal 1: rewritten since it was sealed");
    }
}

public sealed record SealedEventRow(long Sequence);

public sealed class PeriodicSealTests(PeriodicSealingApiHost api) : IClassFixture<PeriodicSealingApiHost>
{
    [Fact]
    public async Task The_poller_seals_once_per_interval_by_the_hall_clock()
    {
        var auditor = api.CreateClient("auditor");
        await api.CreateDepartmentAsync();
        var first = await WaitForSealsAsync(auditor, 1);
        await api.CreateDepartmentAsync();
        await Task.Delay(TimeSpan.FromSeconds(1.5)); // two ticks: the hall clock stands, so the latest seal is not due yet
        (await auditor.GetFromJsonAsync<List<SealResponse>>("/api/audit/seals"))!.Count.ShouldBe(1);

        api.Clock.Advance(TimeSpan.FromMinutes(1));
        var second = await WaitForSealsAsync(auditor, 2);
        second[1].AfterSequence.ShouldBe(first[0].ThroughSequence);
        (await auditor.GetFromJsonAsync<IntegrityResponse>("/api/audit/integrity"))!.Seals.ShouldBe(2);
    }

    private static async Task<List<SealResponse>> WaitForSealsAsync(HttpClient auditor, int count)
    {
        for (var i = 0; i < 100; i++)
        {
            var seals = (await auditor.GetFromJsonAsync<List<SealResponse>>("/api/audit/seals"))!;
            if (seals.Count >= count) return seals;
            await Task.Delay(100);
        }
        throw new ShouldAssertException($"No {count} seals within 10 s.");
    }
}

public sealed class UnsealedApiTests(ApiHost api) : IClassFixture<ApiHost>
{
    [Fact]
    public async Task Without_a_key_sealing_is_off_and_the_integrity_answer_says_so()
    {
        var auditor = api.CreateClient("auditor");
        (await auditor.PostAsync("/api/audit/seals", null)).StatusCode.ShouldBe(HttpStatusCode.Conflict);
        var report = (await auditor.GetFromJsonAsync<IntegrityResponse>("/api/audit/integrity"))!;
        report.Sealing.ShouldBeFalse();
        report.Seals.ShouldBe(0);
        report.SealedThrough.ShouldBeNull();
        (await auditor.GetFromJsonAsync<List<SealResponse>>("/api/audit/seals"))!.ShouldBeEmpty();
    }
}

public sealed class SealSettingsTests
{
    [Theory]
    [InlineData("k1", "c2hvcnQ=", null, "0", "must be base64 of at least 32 bytes")]
    [InlineData("k1", "not base64!", null, "0", "must be base64 of at least 32 bytes")]
    [InlineData("bad id", null, null, "0", "key id 'bad id'")]
    [InlineData("k1", null, "k2", "0", "SigningKeyId 'k2' names no key")]
    [InlineData("k1", null, null, "-1", "IntervalMinutes may not be negative")]
    public void Bad_seal_settings_are_refused_at_start(string id, string? key, string? signing, string interval, string message)
    {
        var settings = new SealSettings
        {
            Keys = { [id] = key ?? Convert.ToBase64String(new byte[32]) },
            SigningKeyId = signing,
            IntervalMinutes = double.Parse(interval, System.Globalization.CultureInfo.InvariantCulture),
        };
        var result = new SealSettingsValidation().Validate(null, settings);
        result.Failed.ShouldBeTrue();
        result.FailureMessage!.ShouldContain(message);
    }

    [Fact]
    public void Two_keys_need_the_one_that_signs()
    {
        var key = Convert.ToBase64String(new byte[32]);
        var settings = new SealSettings { Keys = { ["old"] = key, ["new"] = key } };
        new SealSettingsValidation().Validate(null, settings).FailureMessage!.ShouldContain("SigningKeyId is required");
        settings.SigningKeyId = "new";
        new SealSettingsValidation().Validate(null, settings).ShouldBe(ValidateOptionsResult.Success);
        settings.ToKeys()!.SigningKeyId.ShouldBe("new");
    }
}
