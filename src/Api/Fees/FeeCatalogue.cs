using GovEvents.Domain.Fees;
using GovEvents.Store;

namespace GovEvents.Api.Fees;

/// <summary>The fee catalogue as assessments read it: each item's stream folded fresh for each command.</summary>
public sealed class FeeCatalogue(EventLog store)
{
    public const string StreamType = "fee-item";

    public async Task<FeeItem> ItemAsync(string code, CancellationToken ct) =>
        (await store.AggregateStreamAsync(FeeItem.StreamId(code), new FeeItem(), FeeItem.Evolve, ct: ct))?.State ?? new FeeItem();

    public async Task<IReadOnlyDictionary<string, FeeItem>> ItemsAsync(IEnumerable<string> codes, CancellationToken ct)
    {
        var items = new Dictionary<string, FeeItem>(StringComparer.Ordinal);
        foreach (var code in codes.Distinct())
            if (await ItemAsync(code, ct) is { Exists: true } item) items[code] = item;
        return items;
    }
}
