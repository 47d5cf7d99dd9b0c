using GovEvents.Store.Serialization;
using Marten;
using Shouldly;

namespace GovEvents.Store.Tests;

public enum Urgency { Routine, VeryUrgent }

/// <summary>A document as read models hold them: money, a calendar day, an instant, an enum, a map keyed by ids.</summary>
public sealed record LedgerEntry(
    string Id, decimal Amount, decimal Waived, DateOnly Day, DateTimeOffset At, Urgency Urgency, Dictionary<string, decimal> ByCase, string? Note);

public class DocumentSerializationTests(StoreDatabase db) : IClassFixture<StoreDatabase>
{
    private static readonly NewtonsoftSerializer Json = new();

    private static LedgerEntry Entry(string id, decimal amount = 12.50m, Urgency urgency = Urgency.VeryUrgent, DateOnly? day = null) =>
        new(id, amount, 0m, day ?? EventSamples.Day, EventSamples.At, urgency, new() { ["C-2026-001"] = amount }, null);

    [Fact]
    public async Task A_document_reads_back_as_it_was_stored()
    {
        var entry = Entry("L-1");
        await using (var session = db.Store.LightweightSession())
        {
            session.Store(entry);
            await session.SaveChangesAsync();
        }

        await using (var query = db.Store.QuerySession())
        {
            var loaded = (await query.LoadAsync<LedgerEntry>("L-1")).ShouldNotBeNull();
            loaded.ShouldBeEquivalentTo(entry);
            Json.ToJson(loaded).ShouldBe(Json.ToJson(entry));
        }

        var table = ((IReadOnlyStoreOptions)db.Store.Options).FindOrResolveDocumentType(typeof(LedgerEntry)).TableName.QualifiedName;
        Task<(string?, string?)> At(string path) => StoredJson.AtAsync(db.ConnectionString, table, "id = 'L-1'", path);
        (await At("{amount}")).ShouldBe(("12.50", "number"));
        (await At("{waived}")).ShouldBe(("0", "number"));
        (await At("{day}")).ShouldBe(("2026-03-02", "string"));
        (await At("{at}")).ShouldBe(("2026-03-02T09:30:15.123+08:00", "string"));
        (await At("{urgency}")).ShouldBe(("very-urgent", "string"));
        (await At("{byCase,C-2026-001}")).ShouldBe(("12.50", "number"), "dictionary keys are data, stored as given");
        (await At("{note}")).ShouldBe((null, null));
    }

    [Fact]
    public async Task Queries_compare_enums_money_and_days_as_stored()
    {
        await using (var session = db.Store.LightweightSession())
        {
            session.Store(Entry("Q-1"), Entry("Q-2", amount: 0m, urgency: Urgency.Routine), Entry("Q-3", day: new DateOnly(2026, 3, 3)));
            await session.SaveChangesAsync();
        }

        await using var query = db.Store.QuerySession();
        var entries = query.Query<LedgerEntry>().Where(x => x.Id.StartsWith("Q-"));
        (await entries.Where(x => x.Urgency == Urgency.VeryUrgent).Select(x => x.Id).ToListAsync()).ShouldBe(["Q-1", "Q-3"], ignoreOrder: true);
        (await entries.Where(x => x.Amount == 0m).Select(x => x.Id).ToListAsync()).ShouldBe(["Q-2"]);
        (await entries.Where(x => x.Day == new DateOnly(2026, 3, 3)).Select(x => x.Id).ToListAsync()).ShouldBe(["Q-3"]);
        (await entries.OrderBy(x => x.Id).Select(x => x.Amount).ToListAsync()).ShouldBe([12.50m, 0m, 12.50m]);
    }
}
