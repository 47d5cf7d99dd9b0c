using GovEvents.Domain.Cases;
using GovEvents.Store.Serialization;
using Marten;
using Shouldly;

namespace GovEvents.Store.Tests;

public class EventSerializationTests(StoreDatabase db) : IClassFixture<StoreDatabase>
{
    private static readonly NewtonsoftSerializer Json = new();

    public static TheoryData<string> Names => new(EventNames.All.Select(e => e.Name));

    [Theory, MemberData(nameof(Names))]
    public async Task An_event_reads_back_as_it_was_written(string name)
    {
        var sample = EventSamples.Of(EventNames.All.Single(e => e.Name == name).Type);
        var streamId = "sample-" + name;
        await using (var session = db.Store.LightweightSession())
        {
            session.Events.StartStream(streamId, sample);
            await session.SaveChangesAsync();
        }

        await using var query = db.Store.QuerySession();
        var read = (await query.Events.FetchStreamAsync(streamId)).ShouldHaveSingleItem();
        read.EventTypeName.ShouldBe(name);
        read.Data.ShouldBeOfType(sample.GetType());
        read.Data.ShouldBeEquivalentTo(sample);
        EventSamples.ExactValues(read.Data).ShouldBe(EventSamples.ExactValues(sample));
        Json.ToJson(read.Data).ShouldBe(Json.ToJson(sample));
        var stored = await StoredJson.EventAsync(db.ConnectionString, streamId, Json.ToJson(sample));
        stored.Type.ShouldBe(name);
        stored.Data.ShouldBe(stored.Expected);
    }

    [Fact]
    public async Task Stored_events_are_camel_case_with_exact_money_instants_with_their_offset_and_enums_as_names()
    {
        await using (var session = db.Store.LightweightSession())
        {
            session.Events.StartStream("fees-C-1",
                new FeesAssessed("C-1", "N-1", [new AssessedFee("F-1", "登记费", "D-1", "basis", 12.50m)], 12.50m, null, "assessor", EventSamples.At),
                new FeeNoticeCancelled("C-1", "N-1", FeeCancelCause.Withdrawn, 0m, 12.50m, EventSamples.At));
            await session.SaveChangesAsync();
        }

        var assessed = Where("fees-C-1", "fees_assessed");
        (await At(assessed, "{items,0,amount}")).ShouldBe(("12.50", "number"));
        (await At(assessed, "{total}")).ShouldBe(("12.50", "number"));
        (await At(assessed, "{items,0,name}")).ShouldBe(("登记费", "string"));
        (await At(assessed, "{assessedAt}")).ShouldBe(("2026-03-02T09:30:15.123+08:00", "string"));
        (await At(assessed, "{supersedes}")).ShouldBe((null, null), "a null is left out, not written as null");
        (await At(assessed, "{CaseId}")).ShouldBe((null, null));
        var cancelled = Where("fees-C-1", "fee_notice_cancelled");
        (await At(cancelled, "{outstanding}")).ShouldBe(("0", "number"));
        (await At(cancelled, "{cause}")).ShouldBe(("withdrawn", "string"));
    }

    [Fact]
    public async Task Headers_keep_their_names_and_values()
    {
        await using (var session = db.Store.LightweightSession())
        {
            session.CorrelationId = "corr-1";
            session.SetHeader("Hall-Code", "H-01");
            session.SetHeader("attempt", 2);
            session.Events.StartStream("headers-C-1", new CaseWithdrawn("C-1", "reason", EventSamples.At));
            await session.SaveChangesAsync();
        }

        await using var query = db.Store.QuerySession();
        var read = (await query.Events.FetchStreamAsync("headers-C-1")).ShouldHaveSingleItem();
        read.CorrelationId.ShouldBe("corr-1");
        read.Headers.ShouldNotBeNull();
        read.Headers["Hall-Code"].ShouldBe("H-01");
        Convert.ToInt32(read.Headers["attempt"]).ShouldBe(2);
    }

    private static string Where(string streamId, string type) => $"stream_id = '{streamId}' and type = '{type}'";

    private Task<(string? Text, string? JsonType)> At(string where, string path) =>
        StoredJson.AtAsync(db.ConnectionString, "govevents.mt_events", where, path);
}
