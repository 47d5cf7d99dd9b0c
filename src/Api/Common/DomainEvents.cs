using GovEvents.Domain.Cases;
using GovEvents.Domain.Catalogue;
using GovEvents.Domain.Organisation;
using GovEvents.EventStore;

namespace GovEvents.Api.Common;

/// <summary>Every domain event and its stable storage alias (snake_case, never the CLR name).</summary>
public static class DomainEvents
{
    public static EventTypeRegistry RegisterDomainEvents(this EventTypeRegistry types) => types
        // catalogue and organisation
        .Register<MatterPublished>().Register<MatterRevised>().Register<MatterRevoked>()
        .Register<DepartmentCreated>().Register<DepartmentLeaderAssigned>().Register<WindowOpened>().Register<StaffRegistered>()
        .Register<DelegationGranted>().Register<DelegationRevoked>().Register<CalendarYearSet>()
        // the case
        .Register<CaseSubmitted>().Register<SupplementRequested>().Register<MaterialsSupplemented>()
        .Register<CaseAccepted>().Register<CaseNotAccepted>().Register<CaseDeemedAccepted>()
        .Register<SignatureRecorded>().Register<CaseApproved>().Register<CaseDenied>()
        .Register<ParallelReviewStarted>().Register<ParallelOpinionGiven>().Register<ParallelConsentDeemed>().Register<JointMeetingHeld>()
        .Register<CaseSuspended>().Register<CaseResumed>().Register<DeadlineExtended>()
        .Register<LicenceIssued>().Register<LicenceDelivered>().Register<CaseWithdrawn>().Register<CaseTransferred>()
        .Register<PostCheckRecorded>().Register<LicenceRevoked>().Register<DeferredMaterialOverdue>().Register<PostCheckOverdue>();
}
