namespace GovEvents.Domain.Fees;

/// <summary>
/// A fee item (收费项目) of the catalogue: a standard amount, or a discretionary range [min, max]
/// of which the hall charges the lower bound (执行下限标准). Yuan, to the fen.
/// </summary>
public sealed record FeeItemDefinition(
    string Code, string Name, string DepartmentCode, string LegalBasis, decimal? Amount, decimal? MinAmount, decimal? MaxAmount)
{
    public bool Discretionary => Amount is null;

    /// <summary>What an assessment charges: the standard, or the lower bound of the range.</summary>
    public decimal Charge => Amount ?? MinAmount ?? 0m;

    /// <summary>Field errors of an invalid definition (the API's 400), empty when valid.</summary>
    public IReadOnlyDictionary<string, string[]> Validate()
    {
        var errors = new Dictionary<string, string[]>();
        void Add(string field, string message) => errors[field] = [.. errors.GetValueOrDefault(field) ?? [], message];
        if (string.IsNullOrWhiteSpace(Code)) Add("code", "A fee item needs a code.");
        if (string.IsNullOrWhiteSpace(Name)) Add("name", "A fee item needs a name.");
        if (string.IsNullOrWhiteSpace(DepartmentCode)) Add("departmentCode", "A fee item belongs to a department.");
        if (string.IsNullOrWhiteSpace(LegalBasis)) Add("legalBasis", "A fee item needs its legal basis.");
        var standard = Amount is not null;
        var range = MinAmount is not null || MaxAmount is not null;
        if (standard == range) Add("amount", "Give either a standard amount or a discretionary range (minAmount and maxAmount).");
        if (standard && !IsYuan(Amount!.Value)) Add("amount", "A non-negative amount in yuan, to the fen (at most 1,000,000,000).");
        if (range)
        {
            if (MinAmount is not { } min || !IsYuan(min)) Add("minAmount", "A non-negative amount in yuan, to the fen (at most 1,000,000,000).");
            if (MaxAmount is not { } max || !IsYuan(max)) Add("maxAmount", "A non-negative amount in yuan, to the fen (at most 1,000,000,000).");
            if (MinAmount is { } lo && MaxAmount is { } hi && hi < lo) Add("maxAmount", "The upper bound is at least the lower bound.");
        }
        return errors;
    }

    /// <summary>The largest amount the hall handles on one line (a bound that keeps every sum exact).</summary>
    public const decimal MaxYuan = 1_000_000_000m;

    /// <summary>Money as the hall handles it: not negative, at most two decimals (fen), at most <see cref="MaxYuan"/>.</summary>
    public static bool IsYuan(decimal amount) => amount is >= 0 and <= MaxYuan && decimal.Round(amount, 2) == amount;
}

/// <summary>An event of a fee item's stream in the catalogue.</summary>
public interface IFeeItemEvent
{
    string Code { get; }
}

public sealed record FeeItemPublished(string Code, FeeItemDefinition Definition, int ReviewedYear, DateTimeOffset PublishedAt) : IFeeItemEvent;
/// <summary>年度审验公示: the item was reviewed and published again for a year.</summary>
public sealed record FeeItemReviewed(string Code, int Year, DateTimeOffset ReviewedAt) : IFeeItemEvent;
public sealed record FeeItemRevoked(string Code, DateTimeOffset RevokedAt) : IFeeItemEvent;

/// <summary>A fee item's stream folded: its definition, the year of its last review, whether revoked.</summary>
public sealed record FeeItem(FeeItemDefinition? Definition = null, int ReviewedYear = 0, bool Revoked = false)
{
    public static string StreamId(string code) => $"fee-item-{code}";

    public bool Exists => Definition is not null;

    public static FeeItem Evolve(FeeItem state, object e) => e switch
    {
        FeeItemPublished p => new FeeItem(p.Definition, p.ReviewedYear),
        FeeItemReviewed r => state with { ReviewedYear = Math.Max(state.ReviewedYear, r.Year) },
        FeeItemRevoked => state with { Revoked = true },
        _ => state,
    };

    public static Decision Publish(FeeItem state, FeeItemDefinition definition, int reviewedYear, DateTimeOffset now) =>
        state.Exists
            ? Decision.Refuse(Rules.FeeItemExists, $"Fee item {definition.Code} is already in the catalogue.")
            : Decision.Of(new FeeItemPublished(definition.Code, definition, reviewedYear, now));

    /// <summary>A review for a year already covered changes nothing; a revoked item is not reviewed.</summary>
    public static Decision Review(FeeItem state, int year, DateTimeOffset now)
    {
        if (!state.Exists) return Decision.Refuse(NotFound, "No such fee item.");
        if (state.Revoked) return Decision.Refuse(Rules.FeeNotPublished, $"Fee item {state.Definition!.Code} is revoked.");
        return year <= state.ReviewedYear ? Decision.Nothing : Decision.Of(new FeeItemReviewed(state.Definition!.Code, year, now));
    }

    public static Decision Revoke(FeeItem state, DateTimeOffset now)
    {
        if (!state.Exists) return Decision.Refuse(NotFound, "No such fee item.");
        return state.Revoked ? Decision.Nothing : Decision.Of(new FeeItemRevoked(state.Definition!.Code, now));
    }

    /// <summary>Hard rule 5: only a published item reviewed for the current year may be assessed.</summary>
    public Refusal? Assessable(string code, int currentYear)
    {
        if (!Exists || Revoked) return new Refusal(Rules.FeeNotPublished, $"Fee item {code} is not published in the catalogue{(Revoked ? " (revoked)" : "")}.");
        if (ReviewedYear < currentYear)
            return new Refusal(Rules.FeeNotReviewed, $"Fee item {code} was last reviewed for {ReviewedYear}, not for {currentYear} (年度审验公示).");
        return null;
    }

    /// <summary>Refusal code for an unknown item on commands addressed to it (the API's 404).</summary>
    public const string NotFound = Rules.NotFound;
}

/// <summary>Stable storage names of these events, never the CLR names: renaming a type keeps what is stored.</summary>
public static class FeeItemEventNames
{
    public static readonly IReadOnlyList<(Type Type, string Name)> All =
    [
        (typeof(FeeItemPublished), "fee_item_published"),
        (typeof(FeeItemReviewed), "fee_item_reviewed"),
        (typeof(FeeItemRevoked), "fee_item_revoked"),
    ];
}
