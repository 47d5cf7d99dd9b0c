using GovEvents.Api.Cases;
using GovEvents.Api.Common;
using GovEvents.Api.Hosting.Auth;
using GovEvents.Domain.Complaints;
using GovEvents.Domain.Organisation;
using GovEvents.Store;

namespace GovEvents.Api.Complaints;

public sealed record TargetRequest(TargetKind? Kind, string? Id);
public sealed record ComplainantRequest(string? Name, string? Phone, bool? RealName);
public sealed record ComplaintRequest(ComplaintChannel? Channel, TargetRequest? Target, ComplaintCategory? Category, string? Content, ComplainantRequest? Complainant);
public sealed record DeclinationRequest(string? Reason);
public sealed record AssignmentRequest(string? DepartmentCode, int? DueDays);
public sealed record FindingsRequest(FindingsResult? Result, string? Findings);
public sealed record ComplaintRectificationRequest(string? Actions);
public sealed record ReplyRequest(string? Content);
public sealed record ClosureRequest(int? Satisfaction);

/// <summary>
/// 投诉: filed by an applicant, agent or clerk (for a visitor, caller or letter) against a case,
/// window, staff member or department; each later step by the manager or a leader.
/// </summary>
public static class ComplaintEndpoints
{
    private const int MaxText = 4000;

    public static IEndpointRouteBuilder MapComplaints(this IEndpointRouteBuilder app)
    {
        var complaints = app.MapGroup("/api/complaints").WithTags("Complaints");
        complaints.MapPost("/", File).RequireAuthorization(Policies.CaseIntake);
        complaints.MapPost("/{id}/acceptance", Accept).RequireAuthorization(Policies.Oversight);
        complaints.MapPost("/{id}/declination", Decline).RequireAuthorization(Policies.Oversight);
        complaints.MapPost("/{id}/assignment", Assign).RequireAuthorization(Policies.Oversight);
        complaints.MapPost("/{id}/findings", Findings).RequireAuthorization(Policies.Oversight);
        complaints.MapPost("/{id}/rectification", Rectify).RequireAuthorization(Policies.Oversight);
        complaints.MapPost("/{id}/reply", Reply).RequireAuthorization(Policies.Oversight);
        complaints.MapPost("/{id}/closure", Close).RequireAuthorization(Policies.Oversight);
        return app.MapComplaintQueries().MapAccountability();
    }

    private static FieldErrors Text(this FieldErrors errors, string? value, string field) =>
        errors.Required(value, field).Require(value is null || value.Length <= MaxText, field, $"At most {MaxText} characters.");

    private static async Task<IResult> File(ComplaintRequest request, RequestActor actor, ComplaintCommands handler,
        CaseCommands cases, EventLog store, TimeProvider time, HttpContext http, CancellationToken ct)
    {
        var p = request.Complainant;
        var errors = new FieldErrors()
            .Require(request.Channel is not null, "channel", "letter, visit, phone, online or hotline.")
            .Require(request.Target?.Kind is not null, "target.kind", "case, window, staff or department.")
            .Required(request.Target?.Id, "target.id")
            .Require(request.Category is not null, "category", "efficiency, conduct, fees, integrity or other.")
            .Text(request.Content, "content")
            .Require(p is not null, "complainant", "Required: { name, phone, realName }.")
            .Require(p?.RealName is not null, "complainant.realName", "Whether the complainant gives their name.");
        if (p?.RealName == true) errors.Required(p.Name, "complainant.name").Required(p.Phone, "complainant.phone");
        if (errors.Any) return errors.Problem();

        var target = new ComplaintTarget(request.Target!.Kind!.Value, request.Target.Id!);
        var (found, department) = await ResolveTargetAsync(target, actor, cases, store, ct);
        if (!found) return CommandResults.Invalid("target.id", $"No {KindName(target.Kind)} {target.Id}.");
        var id = Guid.CreateVersion7(time.GetUtcNow()).ToString();
        return await handler.FileAsync(http, new FileComplaint(id, request.Channel!.Value, target, request.Category!.Value, request.Content!,
            new Complainant(p!.Name ?? "", p.Phone ?? "", p.RealName!.Value), actor.Subject!, department), ct);
    }

    private static string KindName(TargetKind kind) => kind.ToString().ToLowerInvariant();

    /// <summary>
    /// The target and its department. A case must be one the caller may act on (an applicant's or
    /// agent's own; a clerk any): another's case is "no such case", its existence not disclosed.
    /// </summary>
    private static async Task<(bool Found, string? DepartmentCode)> ResolveTargetAsync(ComplaintTarget target, RequestActor actor,
        CaseCommands cases, EventLog store, CancellationToken ct)
    {
        switch (target.Kind)
        {
            case TargetKind.Case:
                var loaded = await cases.LoadAsync(target.Id, ct);
                return loaded?.State is { Exists: true } c && CaseAccess.MayAct(actor, c.SubmittedBy, c.AgentStaffId)
                    ? (true, c.Matter.DepartmentCode) : (false, null);
            case TargetKind.Window:
                var window = await store.AggregateStreamAsync<WindowOpened?>($"window-{target.Id}", null, (s, e) => e as WindowOpened ?? s, ct: ct);
                return window?.State is { } w ? (true, w.DepartmentCode) : (false, null);
            case TargetKind.Staff:
                var staff = await store.AggregateStreamAsync<StaffRegistered?>($"staff-{target.Id}", null, (s, e) => e as StaffRegistered ?? s, ct: ct);
                return staff?.State is { } m ? (true, m.DepartmentCode) : (false, null);
            default:
                return await store.StreamVersionAsync(Department.StreamId(target.Id), ct) is null ? (false, null) : (true, target.Id);
        }
    }

    private static Task<IResult> Accept(string id, RequestActor actor, ComplaintCommands handler, HttpContext http, CancellationToken ct) =>
        handler.HandleAsync(http, id, (s, c) => ComplaintDecider.Accept(s, actor.Subject!, handler.Deadlines, c), ct);

    private static Task<IResult> Decline(string id, DeclinationRequest request, RequestActor actor, ComplaintCommands handler, HttpContext http, CancellationToken ct) =>
        handler.HandleAsync(http, id, (s, c) => ComplaintDecider.Decline(s, request.Reason ?? "", actor.Subject!, c), ct);

    private static async Task<IResult> Assign(string id, AssignmentRequest request, RequestActor actor, ComplaintCommands handler,
        EventLog store, HttpContext http, CancellationToken ct)
    {
        var errors = new FieldErrors().Required(request.DepartmentCode, "departmentCode")
            .Require(request.DueDays is >= 1 and <= ComplaintDecider.MaxDueDays, "dueDays", $"1 to {ComplaintDecider.MaxDueDays} working days.");
        if (errors.Any) return errors.Problem();
        if (await store.StreamVersionAsync(Department.StreamId(request.DepartmentCode!), ct) is null)
            return CommandResults.Invalid("departmentCode", $"No department {request.DepartmentCode}.");
        return await handler.HandleAsync(http, id,
            (s, c) => ComplaintDecider.Assign(s, new AssignComplaint(request.DepartmentCode!, request.DueDays!.Value), actor.Subject!, c), ct);
    }

    private static async Task<IResult> Findings(string id, FindingsRequest request, RequestActor actor, ComplaintCommands handler, HttpContext http, CancellationToken ct)
    {
        var errors = new FieldErrors().Require(request.Result is not null, "result", "substantiated, partly or unsubstantiated.").Text(request.Findings, "findings");
        if (errors.Any) return errors.Problem();
        return await handler.HandleAsync(http, id,
            (s, c) => ComplaintDecider.RecordFindings(s, new RecordFindings(request.Result!.Value, request.Findings!), actor.Subject!, handler.Deadlines, c), ct);
    }

    private static async Task<IResult> Rectify(string id, ComplaintRectificationRequest request, RequestActor actor, ComplaintCommands handler, HttpContext http, CancellationToken ct)
    {
        var errors = new FieldErrors().Text(request.Actions, "actions");
        if (errors.Any) return errors.Problem();
        return await handler.HandleAsync(http, id, (s, c) => ComplaintDecider.Rectify(s, request.Actions!, actor.Subject!, handler.Deadlines, c), ct);
    }

    private static async Task<IResult> Reply(string id, ReplyRequest request, RequestActor actor, ComplaintCommands handler, HttpContext http, CancellationToken ct)
    {
        var errors = new FieldErrors().Text(request.Content, "content");
        if (errors.Any) return errors.Problem();
        return await handler.HandleAsync(http, id, (s, c) => ComplaintDecider.Reply(s, request.Content!, actor.Subject!, handler.Deadlines, c), ct);
    }

    private static Task<IResult> Close(string id, ClosureRequest request, RequestActor actor, ComplaintCommands handler, HttpContext http, CancellationToken ct) =>
        request.Satisfaction is not (>= 1 and <= 5)
            ? Task.FromResult(CommandResults.Invalid("satisfaction", "1 (非常不满意) to 5 (非常满意)."))
            : handler.HandleAsync(http, id, (s, c) => ComplaintDecider.Close(s, request.Satisfaction!.Value, actor.Subject!, c), ct);
}
