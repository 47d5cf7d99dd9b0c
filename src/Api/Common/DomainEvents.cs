using GovEvents.Domain.Audit;
using GovEvents.Domain.Cases;
using GovEvents.Domain.Catalogue;
using GovEvents.Domain.Complaints;
using GovEvents.Domain.Fees;
using GovEvents.Domain.Organisation;
using System.Text.RegularExpressions;
using Marten;

namespace GovEvents.Api.Common;

/// <summary>Every domain event and its stable storage alias (snake_case, never the CLR name).</summary>
public static class DomainEvents
{
    /// <summary>Maps every domain event to its storage name in Marten.</summary>
    public static void MapDomainEvents(this StoreOptions opts)
    {
        foreach (var type in All) opts.Events.MapEventType(type, Regex.Replace(type.Name, "(?<=[a-z0-9])([A-Z])", "_$1").ToLowerInvariant());
    }

    private static IReadOnlyList<Type> All => new Registrations()
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
        .Register<FileReviewStarted>().Register<FileReviewCaseGraded>().Types;

    private sealed class Registrations
    {
        public List<Type> Types { get; } = [];

        public Registrations Register<T>()
        {
            Types.Add(typeof(T));
            return this;
        }
    }
}
