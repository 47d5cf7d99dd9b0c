namespace GovEvents.Api.Hosting.Auth;

/// <summary>The role claim values of API.md; a staff token may carry several.</summary>
public static class Roles
{
    public const string Applicant = "applicant";
    public const string Clerk = "clerk";
    public const string Handler = "handler";
    public const string Reviewer = "reviewer";
    public const string Approver = "approver";
    public const string Leader = "leader";
    public const string Agent = "agent";
    public const string Cashier = "cashier";
    public const string Manager = "manager";
    public const string Auditor = "auditor";
    public const string Inspector = "inspector";

    public static readonly IReadOnlySet<string> All = new HashSet<string>(
        [Applicant, Clerk, Handler, Reviewer, Approver, Leader, Agent, Cashier, Manager, Auditor, Inspector], StringComparer.Ordinal);

    /// <summary>Only applicants act for themselves; every other role is staff (an agent 代办员 is staff helping an applicant).</summary>
    public static bool IsStaff(string role) => role != Applicant;
}

/// <summary>Claim types of our tokens (kept as issued: inbound claim mapping is off).</summary>
public static class GovClaims
{
    public const string Subject = "sub";
    public const string Role = "role";
    public const string Department = "dept";
    public const string Window = "window";
}
