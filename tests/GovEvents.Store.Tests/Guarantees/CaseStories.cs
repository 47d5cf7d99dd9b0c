using GovEvents.Domain.Cases;

namespace GovEvents.Store.Tests.Guarantees;

/// <summary>Case streams for the projection tests: a submission and the steps a case goes through, in order.</summary>
public static class CaseStories
{
    public static string NewId() => "case-" + Guid.NewGuid().ToString("N")[..20];

    /// <summary>A submission; its case number is its id, unique as the case view's index requires.</summary>
    public static CaseSubmitted Submitted(string id) => Sample<CaseSubmitted>() with { CaseId = id, CaseNumber = id };

    /// <summary>The case's first <paramref name="count"/> events (at most eight).</summary>
    public static object[] Events(string id, int count) => new object[]
    {
        Submitted(id),
        Sample<SupplementRequested>() with { CaseId = id },
        Sample<MaterialsSupplemented>() with { CaseId = id },
        Sample<CaseAccepted>() with { CaseId = id },
        Sample<SignatureRecorded>() with { CaseId = id, SignerId = "staff-" + id[^4..] },
        Sample<CaseApproved>() with { CaseId = id },
        Sample<LicenceIssued>() with { CaseId = id, LicenceNumber = "L-" + id },
        Sample<LicenceDelivered>() with { CaseId = id },
    }[..count];

    private static T Sample<T>() => (T)EventSamples.Of(typeof(T));
}
