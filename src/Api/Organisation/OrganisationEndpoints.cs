using GovEvents.Api.Cases;
using GovEvents.Api.Commands;
using GovEvents.Api.Common;
using GovEvents.Domain;
using GovEvents.Api.Hosting.Auth;
using GovEvents.Domain.Catalogue;
using GovEvents.Domain.Organisation;
using GovEvents.Store;

namespace GovEvents.Api.Organisation;

public sealed record CreateDepartmentRequest(string? Code, string? Name, string? LeaderStaffId);
public sealed record AssignLeaderRequest(string? StaffId);
public sealed record OpenWindowRequest(string? Code, string? Name, WindowKind? Kind, string? DepartmentCode, string? StaffA, string? StaffB);
public sealed record RegisterStaffRequest(string? Id, string? Name, string? DepartmentCode, string? WindowCode);
public sealed record GrantDelegationRequest(string? StaffId, string? DepartmentCode, string[]? MatterCodes, Tier[]? Tiers, DateOnly? ValidFrom, DateOnly? ValidTo);
public sealed record RevokeDelegationRequest(string? Reason);
public sealed record CalendarRequest(DateOnly[]? Holidays, DateOnly[]? Workdays);
public sealed record CalendarResponse(int Year, IReadOnlyList<DateOnly> Holidays, IReadOnlyList<DateOnly> Workdays);
public sealed record DelegationCreated(string Id, int Version, string Status, string DelegationId);

/// <summary>The hall's organisation (departments, windows, staff, delegations) and its calendar: the manager's.</summary>
public static class OrganisationEndpoints
{
    private static readonly System.Text.RegularExpressions.Regex CodeShape = new("^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$");

    public static IEndpointRouteBuilder MapOrganisation(this IEndpointRouteBuilder app)
    {
        var manager = app.MapGroup("/api").WithTags("Organisation").RequireAuthorization(Policies.Manager);
        manager.MapPost("/departments", CreateDepartment);
        manager.MapPut("/departments/{code}/leader", AssignLeader);
        manager.MapPost("/windows", OpenWindow);
        manager.MapPost("/staff", RegisterStaff);
        manager.MapPost("/delegations", GrantDelegation);
        manager.MapPost("/delegations/{id}/revocation", RevokeDelegation);
        manager.MapPut("/calendar/{year:int}", SetCalendar);
        app.MapGet("/api/calendar/{year:int}", GetCalendar).WithTags("Organisation").AllowAnonymous();
        return app;
    }

    private static FieldErrors Code(this FieldErrors errors, string? value, string field) =>
        errors.Required(value, field).Require(value is null || CodeShape.IsMatch(value), field, "Letters, digits, '-', '_' or '.', at most 64.");

    private const string Exists = "exists";

    /// <summary>Opens a register's stream (department, window, staff member, delegation) with its first event; 409 when it exists.</summary>
    private static async Task<IResult> Start(Commands.Commands commands, HttpContext http, string streamId, string noun, object e, string location, object body, CancellationToken ct)
    {
        var outcome = await commands.DecideAsync(StreamKind.Counted(noun), streamId,
            count => count > 0 ? Decision.Refuse(Exists, $"{location} already exists.") : Decision.Of(e),
            new CommandOptions<int> { MayStart = true }, ct);
        return outcome switch
        {
            CommandOutcome.Refused { Refusal: { Rule: Exists } exists } => CommandResults.Conflict(exists.Detail),
            _ => outcome.ToResult(http, _ => body, location),
        };
    }

    private static async Task<bool> ExistsAsync(EventLog store, string streamId, CancellationToken ct) =>
        await store.StreamVersionAsync(streamId, ct) is not null;

    private static async Task<IResult> CreateDepartment(CreateDepartmentRequest request, EventLog store, Commands.Commands commands, TimeProvider time, HttpContext http, CancellationToken ct)
    {
        var errors = new FieldErrors().Code(request.Code, "code").Required(request.Name, "name");
        if (errors.Any) return errors.Problem();
        return await Start(commands, http, Department.StreamId(request.Code!), "department",
            new DepartmentCreated(request.Code!, request.Name!, request.LeaderStaffId, time.GetUtcNow()),
            $"/api/departments/{request.Code}", new CommandResponse(request.Code!, 1, "created"), ct);
    }

    private static async Task<IResult> AssignLeader(string code, AssignLeaderRequest request, Commands.Commands commands, TimeProvider time, HttpContext http, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(request.StaffId)) return CommandResults.Invalid("staffId", "Required.");
        var outcome = await commands.DecideAsync(StreamKind.Counted("department"), Department.StreamId(code),
            _ => Decision.Of(new DepartmentLeaderAssigned(code, request.StaffId, time.GetUtcNow())), null, ct);
        return outcome is CommandOutcome.NotFound
            ? CommandResults.NotFound($"No department {code}.")
            : outcome.ToResult(http, done => new CommandResponse(code, done.Version, "leader-assigned"));
    }

    private static async Task<IResult> OpenWindow(OpenWindowRequest request, EventLog store, Commands.Commands commands, TimeProvider time, HttpContext http, CancellationToken ct)
    {
        var errors = new FieldErrors().Code(request.Code, "code").Required(request.Name, "name")
            .Require(request.Kind is not null, "kind", "One of comprehensive, department, fee.")
            .Require(request.Kind != WindowKind.Department || !string.IsNullOrWhiteSpace(request.DepartmentCode), "departmentCode", "A department window names its department.");
        if (errors.Any) return errors.Problem();
        if (request.DepartmentCode is { } dept && !await ExistsAsync(store, Department.StreamId(dept), ct))
            return CommandResults.Invalid("departmentCode", $"No department {dept}.");
        return await Start(commands, http, $"window-{request.Code}", "window",
            new WindowOpened(request.Code!, request.Name!, request.Kind!.Value, request.DepartmentCode, request.StaffA, request.StaffB, time.GetUtcNow()),
            $"/api/windows/{request.Code}", new CommandResponse(request.Code!, 1, "opened"), ct);
    }

    private static async Task<IResult> RegisterStaff(RegisterStaffRequest request, EventLog store, Commands.Commands commands, TimeProvider time, HttpContext http, CancellationToken ct)
    {
        var errors = new FieldErrors().Code(request.Id, "id").Required(request.Name, "name").Required(request.DepartmentCode, "departmentCode");
        if (errors.Any) return errors.Problem();
        if (!await ExistsAsync(store, Department.StreamId(request.DepartmentCode!), ct))
            return CommandResults.Invalid("departmentCode", $"No department {request.DepartmentCode}.");
        if (request.WindowCode is { } window && !await ExistsAsync(store, $"window-{window}", ct))
            return CommandResults.Invalid("windowCode", $"No window {window}.");
        return await Start(commands, http, $"staff-{request.Id}", "staff",
            new StaffRegistered(request.Id!, request.Name!, request.DepartmentCode!, request.WindowCode, time.GetUtcNow()),
            $"/api/staff/{request.Id}", new CommandResponse(request.Id!, 1, "registered"), ct);
    }

    private static async Task<IResult> GrantDelegation(GrantDelegationRequest request, EventLog store, Commands.Commands commands, TimeProvider time, HttpContext http, CancellationToken ct)
    {
        var errors = new FieldErrors().Required(request.StaffId, "staffId").Required(request.DepartmentCode, "departmentCode")
            .Require(request.MatterCodes is { Length: > 0 } && request.MatterCodes.All(m => !string.IsNullOrWhiteSpace(m)), "matterCodes", "\"*\" or one or more matter codes.")
            .Require(request.Tiers is { Length: > 0 }, "tiers", "One or more of handler, reviewer, approver.")
            .Require(request.ValidFrom is not null, "validFrom", "Required.")
            .Require(request.ValidTo is not null, "validTo", "Required.")
            .Require(request.ValidFrom is null || request.ValidTo is null || request.ValidFrom <= request.ValidTo, "validTo", "Not before validFrom.");
        if (errors.Any) return errors.Problem();
        if (!await ExistsAsync(store, $"staff-{request.StaffId}", ct)) return CommandResults.Invalid("staffId", $"No staff member {request.StaffId}.");
        if (!await ExistsAsync(store, Department.StreamId(request.DepartmentCode!), ct))
            return CommandResults.Invalid("departmentCode", $"No department {request.DepartmentCode}.");

        var id = Guid.CreateVersion7(time.GetUtcNow()).ToString("N")[..20];
        var granted = new DelegationGranted(id, request.StaffId!, request.DepartmentCode!, request.MatterCodes!.Distinct().ToList(),
            request.Tiers!.Distinct().ToList(), request.ValidFrom!.Value, request.ValidTo!.Value, time.GetUtcNow());
        return await Start(commands, http, Delegation.StreamId(id), "delegation", granted, $"/api/delegations/{id}",
            new DelegationCreated(id, 1, "granted", id), ct);
    }

    private static readonly StreamKind<Delegation> DelegationKind = new("delegation", new Delegation(), Delegation.Evolve);

    private static async Task<IResult> RevokeDelegation(string id, RevokeDelegationRequest request, Commands.Commands commands, TimeProvider time, HttpContext http, CancellationToken ct)
    {
        var outcome = await commands.DecideAsync(DelegationKind, Delegation.StreamId(id),
            delegation => Delegation.Revoke(delegation, request.Reason ?? "", time.GetUtcNow()), null, ct);
        return outcome is CommandOutcome.NotFound
            ? CommandResults.NotFound($"No delegation {id}.")
            : outcome.ToResult(http, done => new CommandResponse(id, done.Version, "revoked"));
    }

    private static async Task<IResult> SetCalendar(int year, CalendarRequest request, Commands.Commands commands, TimeProvider time, HttpContext http, CancellationToken ct)
    {
        var holidays = (request.Holidays ?? []).Distinct().Order().ToList();
        var workdays = (request.Workdays ?? []).Distinct().Order().ToList();
        var errors = new FieldErrors()
            .Require(year is >= 2000 and <= 2100, "year", "2000 to 2100.")
            .Require(holidays.All(d => d.Year == year), "holidays", $"Every date is in {year}.")
            .Require(workdays.All(d => d.Year == year), "workdays", $"Every date is in {year}.")
            .Require(!holidays.Intersect(workdays).Any(), "workdays", "A day is a holiday or a worked day, not both.")
            .Require(workdays.All(d => d.DayOfWeek is DayOfWeek.Saturday or DayOfWeek.Sunday), "workdays", "Worked days (调休) fall on weekends.");
        if (errors.Any) return errors.Problem();
        var outcome = await commands.DecideAsync(StreamKind.Counted("calendar"), ReferenceData.CalendarStreamId(year),
            _ => Decision.Of(new CalendarYearSet(year, holidays, workdays, time.GetUtcNow())), new CommandOptions<int> { MayStart = true }, ct);
        return outcome.ToResult(http, done => new CommandResponse(year.ToString(), done.Version, "set"));
    }

    private static async Task<IResult> GetCalendar(int year, EventLog store, CancellationToken ct)
    {
        var set = await store.AggregateStreamAsync<CalendarYearSet?>(ReferenceData.CalendarStreamId(year), null, (_, e) => e as CalendarYearSet, ct: ct);
        return set?.State is { } s
            ? Results.Ok(new CalendarResponse(s.Year, s.Holidays, s.Workdays))
            : Results.Ok(new CalendarResponse(year, [], []));
    }
}
