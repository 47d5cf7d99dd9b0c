using GovEvents.Domain.Audit;
using GovEvents.Domain.Cases;
using GovEvents.Domain.Catalogue;
using GovEvents.Domain.Complaints;
using GovEvents.Domain.Fees;
using GovEvents.Domain.Organisation;

namespace GovEvents.Store;

/// <summary>Every event and its stable storage name, as each events file of the domain lists them.</summary>
public static class EventNames
{
    public static readonly IReadOnlyList<(Type Type, string Name)> All =
    [
        .. CaseEventNames.All, .. CaseFeeEventNames.All, .. CaseRatingEventNames.All,
        .. ComplaintEventNames.All,
        .. MatterEventNames.All, .. FeeItemEventNames.All,
        .. OrganisationEventNames.All,
        .. FileReviewEventNames.All,
        .. HistorySealEventNames.All,
        .. Domain.Supervision.AlertEventNames.All,
    ];
}
