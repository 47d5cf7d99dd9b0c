using GovEvents.Domain.Catalogue;

namespace GovEvents.Domain.Organisation;

public enum WindowKind { Comprehensive, Department, Fee }

/// <summary>An event of a department's stream.</summary>
public interface IDepartmentEvent
{
    string Code { get; }
}

/// <summary>An event of a window's stream.</summary>
public interface IWindowEvent
{
    string Code { get; }
}

/// <summary>An event of a staff member's stream: registration, and accountability measures (问责, <see cref="Complaints.AccountabilityMeasureRecorded"/>).</summary>
public interface IStaffEvent;

/// <summary>An event of a delegation's stream.</summary>
public interface IDelegationEvent
{
    string DelegationId { get; }
}

/// <summary>An event of a calendar year's stream.</summary>
public interface ICalendarEvent
{
    int Year { get; }
}

public sealed record DepartmentCreated(string Code, string Name, string? LeaderStaffId, DateTimeOffset CreatedAt) : IDepartmentEvent;
public sealed record DepartmentLeaderAssigned(string Code, string StaffId, DateTimeOffset AssignedAt) : IDepartmentEvent;
public sealed record WindowOpened(string Code, string Name, WindowKind Kind, string? DepartmentCode, string? StaffA, string? StaffB, DateTimeOffset OpenedAt) : IWindowEvent;
public sealed record StaffRegistered(string Id, string Name, string DepartmentCode, string? WindowCode, DateTimeOffset RegisteredAt) : IStaffEvent;

/// <summary>授权委托: a department's delegation of signing authority for matters and tiers, for a period.</summary>
public sealed record DelegationGranted(
    string DelegationId, string StaffId, string DepartmentCode, IReadOnlyList<string> MatterCodes,
    IReadOnlyList<Tier> Tiers, DateOnly ValidFrom, DateOnly ValidTo, DateTimeOffset GrantedAt) : IDelegationEvent;
public sealed record DelegationRevoked(string DelegationId, string Reason, DateTimeOffset RevokedAt) : IDelegationEvent;

public sealed record Department(string? Code = null, string? Name = null, string? LeaderStaffId = null)
{
    public static string StreamId(string code) => $"department-{code}";

    public static Department Evolve(Department state, object e) => e switch
    {
        DepartmentCreated c => new Department(c.Code, c.Name, c.LeaderStaffId),
        DepartmentLeaderAssigned a => state with { LeaderStaffId = a.StaffId },
        _ => state,
    };
}

/// <summary>A delegation as it stands: in force on a day unless revoked before the moment of signing.</summary>
public sealed record Delegation(DelegationGranted? Grant = null, DateTimeOffset? RevokedAt = null)
{
    public static string StreamId(string id) => $"delegation-{id}";

    public static Delegation Evolve(Delegation state, object e) => e switch
    {
        DelegationGranted g => new Delegation(g),
        DelegationRevoked r => state with { RevokedAt = r.RevokedAt },
        _ => state,
    };

    public bool Covers(string departmentCode, string matterCode, Tier tier, DateTimeOffset at, DateOnly day) =>
        Grant is { } g
        && g.DepartmentCode == departmentCode
        && (g.MatterCodes.Contains("*") || g.MatterCodes.Contains(matterCode))
        && g.Tiers.Contains(tier)
        && g.ValidFrom <= day && day <= g.ValidTo
        && (RevokedAt is null || RevokedAt > at);

    public static Decision Revoke(Delegation state, string reason, DateTimeOffset now)
    {
        if (state.Grant is null) return Decision.Refuse(Rules.NotFound, "No such delegation.");
        if (string.IsNullOrWhiteSpace(reason)) return Decision.Refuse(Rules.ReasonRequired, "A revocation states its reason.");
        return state.RevokedAt is not null ? Decision.Nothing : Decision.Of(new DelegationRevoked(state.Grant.DelegationId, reason, now));
    }
}

public sealed record CalendarYearSet(int Year, IReadOnlyList<DateOnly> Holidays, IReadOnlyList<DateOnly> Workdays, DateTimeOffset SetAt) : ICalendarEvent;

/// <summary>Stable storage names of these events, never the CLR names: renaming a type keeps what is stored.</summary>
public static class OrganisationEventNames
{
    public static readonly IReadOnlyList<(Type Type, string Name)> All =
    [
        (typeof(DepartmentCreated), "department_created"),
        (typeof(DepartmentLeaderAssigned), "department_leader_assigned"),
        (typeof(WindowOpened), "window_opened"),
        (typeof(StaffRegistered), "staff_registered"),
        (typeof(DelegationGranted), "delegation_granted"),
        (typeof(DelegationRevoked), "delegation_revoked"),
        (typeof(CalendarYearSet), "calendar_year_set"),
    ];
}
