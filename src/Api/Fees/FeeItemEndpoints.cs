using System.Text.RegularExpressions;
using GovEvents.Api.Cases;
using GovEvents.Api.Commands;
using GovEvents.Api.Common;
using GovEvents.Api.Hosting.Auth;
using GovEvents.Domain;
using GovEvents.Domain.Fees;
using GovEvents.Domain.Time;
using GovEvents.Store;

namespace GovEvents.Api.Fees;

public sealed record FeeItemRequest(
    string? Code, string? Name, string? DepartmentCode, string? LegalBasis, decimal? Amount, decimal? MinAmount, decimal? MaxAmount, int? ReviewedYear);
public sealed record FeeReviewRequest(int? Year);

/// <summary>A fee item as the catalogue publishes it; <c>charge</c> is what an assessment charges, <c>assessable</c> whether it may be assessed today.</summary>
public sealed record FeeItemResponse(
    string Code, string Name, string DepartmentCode, string LegalBasis, decimal? Amount, decimal? MinAmount, decimal? MaxAmount,
    bool Discretionary, decimal Charge, int ReviewedYear, bool Revoked, bool Assessable, int Version)
{
    public static FeeItemResponse From(FeeItem item, int currentYear, int version)
    {
        var d = item.Definition!;
        return new(d.Code, d.Name, d.DepartmentCode, d.LegalBasis, d.Amount, d.MinAmount, d.MaxAmount, d.Discretionary, d.Charge,
            item.ReviewedYear, item.Revoked, item.Assessable(d.Code, currentYear) is null, version);
    }
}

/// <summary>
/// The fee catalogue (收费目录): items published, reviewed each year (年度审验公示) and revoked by the
/// manager; read by anyone (ALL art. 30, 58).
/// </summary>
public static partial class FeeItemEndpoints
{
    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$")]
    private static partial Regex CodeShape();

    public static IEndpointRouteBuilder MapFeeItems(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/fee-items").WithTags("Catalogue");
        group.MapPost("/", Publish).RequireAuthorization(Policies.Manager);
        group.MapPost("/{code}/reviews", Review).RequireAuthorization(Policies.Manager);
        group.MapPost("/{code}/revocation", Revoke).RequireAuthorization(Policies.Manager);
        group.MapGet("/", List).AllowAnonymous();
        group.MapGet("/{code}", Get).AllowAnonymous();
        return app;
    }

    private static int CurrentYear(TimeProvider time, HallClock hall) => hall.DateOf(time.GetUtcNow()).Year;

    private static FieldErrors Year(this FieldErrors errors, int? year, string field, int currentYear) =>
        errors.Require(year is not null && year >= 2000 && year <= currentYear + 1, field, $"A year from 2000 to {currentYear + 1}.");

    private static async Task<IResult> Publish(FeeItemRequest request, EventLog store, Commands.Commands commands, TimeProvider time, HallClock hall, HttpContext http, CancellationToken ct)
    {
        var definition = new FeeItemDefinition(request.Code ?? "", request.Name ?? "", request.DepartmentCode ?? "", request.LegalBasis ?? "",
            request.Amount, request.MinAmount, request.MaxAmount);
        var errors = new FieldErrors().Year(request.ReviewedYear, "reviewedYear", CurrentYear(time, hall))
            .Require(request.Code is null || CodeShape().IsMatch(request.Code), "code", "Letters, digits, '-', '_' or '.', at most 64.");
        foreach (var (field, messages) in definition.Validate())
            foreach (var message in messages) errors.Add(field, message);
        if (errors.Any) return errors.Problem();
        if (await store.StreamVersionAsync($"department-{definition.DepartmentCode}", ct) is null)
            return CommandResults.Invalid("departmentCode", $"No department {definition.DepartmentCode}.");
        return await Decide(commands, http, definition.Code, item => FeeItem.Publish(item, definition, request.ReviewedYear!.Value, time.GetUtcNow()),
            "published", created: true, ct);
    }

    private static async Task<IResult> Review(string code, FeeReviewRequest request, Commands.Commands commands, TimeProvider time, HallClock hall, HttpContext http, CancellationToken ct)
    {
        var errors = new FieldErrors().Year(request.Year, "year", CurrentYear(time, hall));
        if (errors.Any) return errors.Problem();
        return await Decide(commands, http, code, item => FeeItem.Review(item, request.Year!.Value, time.GetUtcNow()), "reviewed", created: false, ct);
    }

    private static Task<IResult> Revoke(string code, Commands.Commands commands, TimeProvider time, HttpContext http, CancellationToken ct) =>
        Decide(commands, http, code, item => FeeItem.Revoke(item, time.GetUtcNow()), "revoked", created: false, ct);

    private static readonly StreamKind<FeeItem> Kind = new("fee item", new FeeItem(), FeeItem.Evolve);

    private static async Task<IResult> Decide(Commands.Commands commands, HttpContext http, string code, Func<FeeItem, Decision> decide, string status,
        bool created, CancellationToken ct)
    {
        // Every step judges the item as it stands, none included: the decider refuses what needs one (404) or must not find one (409).
        var outcome = await commands.DecideAsync(Kind, FeeItem.StreamId(code), decide, new CommandOptions<FeeItem> { MayStart = true }, ct);
        return outcome switch
        {
            CommandOutcome.Refused { Refusal.Rule: FeeItem.NotFound } => CommandResults.NotFound($"No fee item {code}."),
            CommandOutcome.Refused { Refusal: { Rule: Rules.FeeItemExists } exists } when created => CommandResults.Conflict(exists.Detail),
            _ => outcome.ToResult(http, done => new CommandResponse(code, done.Version, status), created ? $"/api/fee-items/{code}" : null),
        };
    }

    private static async Task<IResult> List(EventLog store, TimeProvider time, HallClock hall, CancellationToken ct)
    {
        var year = CurrentYear(time, hall);
        var events = await store.FetchStreamsOfTypeAsync(FeeCatalogue.StreamType, ct);
        var items = events.GroupBy(e => e.StreamId)
            .Select(g => (Item: g.Aggregate(new FeeItem(), (item, e) => FeeItem.Evolve(item, e.Data)), Version: g.Max(e => e.Version)))
            .Where(x => x.Item.Exists)
            .OrderBy(x => x.Item.Definition!.Code, StringComparer.Ordinal)
            .Select(x => FeeItemResponse.From(x.Item, year, x.Version))
            .ToList();
        return Results.Ok(new PagedList<FeeItemResponse>(items, items.Count, 1, Math.Max(items.Count, 1)));
    }

    private static async Task<IResult> Get(string code, EventLog store, TimeProvider time, HallClock hall, CancellationToken ct)
    {
        var loaded = await store.AggregateStreamAsync(FeeItem.StreamId(code), new FeeItem(), FeeItem.Evolve, ct: ct);
        return loaded?.State is { Exists: true } item
            ? Results.Ok(FeeItemResponse.From(item, CurrentYear(time, hall), loaded.Version))
            : CommandResults.NotFound($"No fee item {code}.");
    }
}
