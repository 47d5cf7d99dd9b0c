using GovEvents.Domain.Audit;
using GovEvents.Domain.Cases;
using GovEvents.Domain.Catalogue;
using GovEvents.Domain.Complaints;
using GovEvents.Domain.Fees;
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
        .Register<PostCheckRecorded>().Register<LicenceRevoked>().Register<DeferredMaterialOverdue>().Register<PostCheckOverdue>()
        // fee catalogue and the case's fees (一费制)
        .Register<FeeItemPublished>().Register<FeeItemReviewed>().Register<FeeItemRevoked>()
        .Register<FeesAssessed>().Register<FeePaid>().Register<FeeWaived>().Register<FeeNoticeCancelled>()
        .Register<FeeRefundDue>().Register<FeeRefunded>().Register<ApprovalAwaitingFees>()
        // ratings (好差评)
        .Register<RatingSubmitted>().Register<RatingCalledBack>().Register<RatingRectified>()
        .Register<RatingCallbackOverdue>().Register<RatingRectificationOverdue>().Register<RatingAppealed>().Register<RatingAppealDecided>()
        // complaints (投诉) and accountability (问责)
        .Register<ComplaintFiled>().Register<ComplaintAccepted>().Register<ComplaintDeclined>().Register<ComplaintAssigned>()
        .Register<ComplaintInvestigated>().Register<ComplaintRectified>().Register<ComplaintReplied>().Register<ComplaintClosed>()
        .Register<ComplaintStepOverdue>().Register<ComplaintAccountabilityLinked>().Register<AccountabilityMeasureRecorded>()
        // file reviews (案卷评查)
        .Register<FileReviewStarted>().Register<FileReviewCaseGraded>();
}
