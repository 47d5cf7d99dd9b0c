using GovEvents.Api.Hosting.Auth;
using GovEvents.Domain.Cases;

namespace GovEvents.Api.Cases;

/// <summary>
/// Who sees an applicant's id number and phone in full: the applicant (and their agent), and staff of the
/// case's own department or of the window that received it. Inspectors and auditors, and staff of any
/// other department, see them masked (<c>1101**********1237</c>, <c>138****8000</c>), in views, lists and
/// histories alike. The events keep the full values.
/// </summary>
public static class PersonalData
{
    public static bool SeesInFull(RequestActor actor, string departmentCode, string? windowCode, string? submittedBy, string? agentStaffId)
    {
        if (CaseAccess.Owns(actor, submittedBy, agentStaffId)) return true;
        if (actor.IsInRole(Roles.Inspector) || actor.IsInRole(Roles.Auditor)) return false;
        return actor.DepartmentCode == departmentCode || (windowCode is not null && actor.WindowCode == windowCode);
    }

    public static Applicant Masked(Applicant a) => a with { IdNumber = Mask(a.IdNumber, 4, 4), Phone = Mask(a.Phone, 3, 4) };

    /// <summary>Keeps <paramref name="start"/> leading and <paramref name="end"/> trailing characters; a value too short for that keeps only its last two.</summary>
    public static string Mask(string value, int start, int end)
    {
        if (value.Length <= start + end) (start, end) = (0, Math.Min(2, value.Length / 2));
        return string.Concat(value.AsSpan(0, start), new string('*', value.Length - start - end), value.AsSpan(value.Length - end));
    }
}
