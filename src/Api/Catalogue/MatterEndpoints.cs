using GovEvents.Api.Commands;
using GovEvents.Api.Common;
using GovEvents.Api.Hosting.Auth;
using GovEvents.Domain;
using GovEvents.Domain.Catalogue;
using GovEvents.Store;

namespace GovEvents.Api.Catalogue;

public sealed record MaterialRequest(string? Code, string? Name, bool Mandatory, bool Deferrable);
public sealed record CommitmentRequest(int PostCheckDays);
public sealed record ParallelRequest(string[]? Participants, int OpinionDays);
public sealed record SpecialProcedureRequest(string? Code, string? Name, string? LegalBasis, bool CountsTowardLimit);

public sealed record MatterRequest(
    string? Code, string? Name, MatterCategory? Category, string? DepartmentCode, string? LegalBasis, MatterLevel? Level,
    ServiceObject? ServiceObject, int? StatutoryDays, int? PromisedDays, int? Tiers, MaterialRequest[]? Materials,
    string[]? FeeItemCodes, bool OnTheSpot, bool InstantApproval, CommitmentRequest? Commitment, ParallelRequest? Parallel,
    SpecialProcedureRequest[]? SpecialProcedures)
{
    /// <summary>
    /// The vocabulary fields a definition cannot do without: a missing one is a 400, never a silent
    /// default (a revision replaces the whole definition). The statutory limit defaults to the law's 20 days.
    /// </summary>
    public FieldErrors MissingFields() => new FieldErrors()
        .Require(Category is not null, "category", "One of the ten power categories.")
        .Require(Level is not null, "level", "city, county or town.")
        .Require(ServiceObject is not null, "serviceObject", "person, organisation or both.")
        .Require(Tiers is not null, "tiers", "1 (approver), 2 (handler, approver) or 3 (handler, reviewer, approver).");

    public MatterDefinition ToDefinition(string? code = null) => new(
        code ?? Code ?? "", Name ?? "", Category ?? MatterCategory.Licensing, DepartmentCode ?? "", LegalBasis ?? "",
        Level ?? MatterLevel.City, ServiceObject ?? Domain.Catalogue.ServiceObject.Both, StatutoryDays ?? 20, PromisedDays ?? StatutoryDays ?? 20, Tiers ?? 3,
        (Materials ?? []).Select(m => new MaterialSpec(m.Code ?? "", m.Name ?? m.Code ?? "", m.Mandatory, m.Deferrable)).ToList(),
        (FeeItemCodes ?? []).Distinct().ToList(), OnTheSpot, InstantApproval,
        Commitment is null ? null : new CommitmentSpec(Commitment.PostCheckDays),
        Parallel is null ? null : new ParallelSpec((Parallel.Participants ?? []).Distinct().ToList(), Parallel.OpinionDays),
        (SpecialProcedures ?? []).Select(p => new SpecialProcedure(p.Code ?? "", p.Name ?? p.Code ?? "", p.LegalBasis ?? "", p.CountsTowardLimit)).ToList());
}

public sealed record MatterResponse(
    string Code, int Version, bool Revoked, string Name, MatterCategory Category, string DepartmentCode, string LegalBasis,
    MatterLevel Level, ServiceObject ServiceObject, int StatutoryDays, int PromisedDays, int Tiers,
    IReadOnlyList<MaterialSpec> Materials, IReadOnlyList<string> FeeItemCodes, bool OnTheSpot, bool InstantApproval,
    CommitmentSpec? Commitment, ParallelSpec? Parallel, IReadOnlyList<SpecialProcedure> SpecialProcedures)
{
    public static MatterResponse From(Matter m)
    {
        var d = m.Definition!;
        return new(d.Code, m.Version, m.Revoked, d.Name, d.Category, d.DepartmentCode, d.LegalBasis, d.Level, d.ServiceObject,
            d.StatutoryDays, d.PromisedDays, d.Tiers, d.Materials, d.FeeItemCodes, d.OnTheSpot, d.InstantApproval, d.Commitment,
            d.Parallel, d.SpecialProcedures);
    }
}

/// <summary>The catalogue of matters (事项清单): published, revised, revoked by the manager; read by anyone (ALL art. 30).</summary>
public static class MatterEndpoints
{
    public const string StreamType = "matter";

    public static IEndpointRouteBuilder MapMatters(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/matters").WithTags("Catalogue");
        group.MapPost("/", Publish).RequireAuthorization(Policies.Manager);
        group.MapPut("/{code}", Revise).RequireAuthorization(Policies.Manager);
        group.MapPost("/{code}/revocation", Revoke).RequireAuthorization(Policies.Manager);
        group.MapGet("/", List).AllowAnonymous();
        group.MapGet("/{code}", Get).AllowAnonymous();
        return app;
    }

    private static async Task<IResult> Publish(MatterRequest request, EventLog store, Commands.Commands commands, TimeProvider time, HttpContext http, CancellationToken ct)
    {
        if (request.MissingFields() is { Any: true } missing) return missing.Problem();
        var definition = request.ToDefinition();
        if (definition.Validate() is { Count: > 0 } errors) return Results.ValidationProblem(errors);
        if (await store.StreamVersionAsync($"department-{definition.DepartmentCode}", ct) is null)
            return CommandResults.Invalid("departmentCode", $"No department {definition.DepartmentCode}.");
        return await Decide(commands, http, definition.Code, state => Matter.Publish(state, definition, time.GetUtcNow()), created: true, ct);
    }

    private static async Task<IResult> Revise(string code, MatterRequest request, EventLog store, Commands.Commands commands, TimeProvider time, HttpContext http, CancellationToken ct)
    {
        if (request.Code is { } bodyCode && bodyCode != code) return CommandResults.Invalid("code", "A matter keeps its code (同一编码).");
        if (request.MissingFields() is { Any: true } missing) return missing.Problem();
        var definition = request.ToDefinition(code);
        if (definition.Validate() is { Count: > 0 } errors) return Results.ValidationProblem(errors);
        return await Decide(commands, http, code, state => state.Definition is null
            ? Decision.Refuse("not-found", "")
            : Matter.Revise(state, definition, time.GetUtcNow()), created: false, ct);
    }

    private static Task<IResult> Revoke(string code, EventLog store, Commands.Commands commands, TimeProvider time, HttpContext http, CancellationToken ct) =>
        Decide(commands, http, code, state => state.Definition is null ? Decision.Refuse("not-found", "") : Matter.Revoke(state, time.GetUtcNow()), created: false, ct);

    private static readonly StreamKind<Matter> Kind = new("matter", new Matter(), Matter.Evolve);

    private static async Task<IResult> Decide(Commands.Commands commands, HttpContext http, string code, Func<Matter, Decision> decide, bool created, CancellationToken ct)
    {
        // Every step judges the matter as it stands, none included: the decider refuses what needs one (404) or must not find one (409).
        var outcome = await commands.DecideAsync(Kind, Matter.StreamId(code), decide, new CommandOptions<Matter> { MayStart = true }, ct);
        return outcome switch
        {
            CommandOutcome.Refused { Refusal.Rule: "not-found" } => CommandResults.NotFound($"No matter {code}."),
            CommandOutcome.Refused { Refusal: { Rule: Rules.MatterExists } exists } when created => CommandResults.Conflict(exists.Detail),
            CommandOutcome.Done { Events.Count: 0, State: Matter same } => Results.Ok(new CommandResponse(code, same.Version, same.Revoked ? "revoked" : "published")),
            _ => outcome.ToResult(http, done => Answer((Matter)done.State), created ? $"/api/matters/{code}" : null),
        };

        CommandResponse Answer(Matter next) => new(code, next.Version, next.Revoked ? "revoked" : created ? "published" : "revised");
    }

    private static async Task<IResult> List(int? page, int? pageSize, EventLog store, CancellationToken ct)
    {
        var errors = new FieldErrors()
            .Require(page is null or >= 1, "page", "1 or more.")
            .Require(pageSize is null or (>= 1 and <= 500), "pageSize", "1 to 500.");
        if (errors.Any) return errors.Problem();
        var (p, size) = (page ?? 1, pageSize ?? 50);
        var events = await store.FetchStreamsOfTypeAsync(StreamType, ct);
        var all = events.GroupBy(e => e.StreamId)
            .Select(g => g.Aggregate(new Matter(), (m, e) => Matter.Evolve(m, e.Data)))
            .Where(m => m.Definition is not null)
            .OrderBy(m => m.Definition!.Code, StringComparer.Ordinal)
            .ToList();
        var items = all.Skip((p - 1) * size).Take(size).Select(MatterResponse.From).ToList();
        return Results.Ok(new { items, total = all.Count, page = p, pageSize = size });
    }

    private static async Task<IResult> Get(string code, EventLog store, CancellationToken ct)
    {
        var loaded = await store.AggregateStreamAsync(Matter.StreamId(code), new Matter(), Matter.Evolve, ct: ct);
        return loaded?.State.Definition is null ? CommandResults.NotFound($"No matter {code}.") : Results.Ok(MatterResponse.From(loaded.State));
    }
}
