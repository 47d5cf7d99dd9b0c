using GovEvents.Domain.Cases;
using Marten;
using Newtonsoft.Json.Linq;
using Shouldly;

namespace GovEvents.Store.Tests;

/// <summary>How an older build stored a withdrawal: its reason as "why", its time as "at".</summary>
public sealed record CaseWithdrawalRequested(string CaseId, string Why, DateTimeOffset At);

public class UpcastTests(StoreDatabase db) : IClassFixture<StoreDatabase>
{
    private static readonly EventUpcast FromWithdrawalRequested = EventUpcast.To<CaseWithdrawn>("case_withdrawal_requested", old => new JObject
    {
        ["caseId"] = old["caseId"],
        ["reason"] = old["why"],
        ["withdrawnAt"] = old["at"],
    });

    [Fact]
    public async Task An_old_shape_is_read_as_the_current_event()
    {
        var older = db.Open(also: opts => opts.Events.MapEventType<CaseWithdrawalRequested>("case_withdrawal_requested"));
        await using (var session = older.LightweightSession())
        {
            session.Events.StartStream("case-C-1", new CaseWithdrawalRequested("C-1", "搬迁 moved away", EventSamples.At));
            await session.SaveChangesAsync();
        }

        var current = db.Open([FromWithdrawalRequested]);
        var expected = new CaseWithdrawn("C-1", "搬迁 moved away", EventSamples.At);
        await using var query = current.QuerySession();
        var read = (await query.Events.FetchStreamAsync("case-C-1")).ShouldHaveSingleItem();
        read.Data.ShouldBe(expected);
        ((CaseWithdrawn)read.Data).WithdrawnAt.Offset.ShouldBe(TimeSpan.FromHours(8));
        read.EventTypeName.ShouldBe("case_withdrawal_requested", "the stored row is never rewritten");
    }

    [Fact]
    public void A_current_event_name_is_not_upcast() =>
        Should.Throw<InvalidOperationException>(() => db.Open([EventUpcast.To<CaseWithdrawn>("case_withdrawn", old => old)]))
            .Message.ShouldContain("case_withdrawn");
}
