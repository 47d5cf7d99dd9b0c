using GovEvents.Domain.Audit;
using GovEvents.Domain.Cases;
using GovEvents.Domain.Catalogue;
using GovEvents.Domain.Complaints;
using GovEvents.Domain.Fees;
using GovEvents.Domain.Organisation;
using Shouldly;

namespace GovEvents.Store.Tests;

public class EventNamesTests
{
    // What is stored, pinned. Renaming or moving a CLR type changes nothing here; changing a name
    // here strands every event stored under the old one, unless an upcast reads it.
    private static readonly Dictionary<string, Type> Stored = new()
    {
        ["case_submitted"] = typeof(CaseSubmitted),
        ["supplement_requested"] = typeof(SupplementRequested),
        ["materials_supplemented"] = typeof(MaterialsSupplemented),
        ["case_accepted"] = typeof(CaseAccepted),
        ["case_not_accepted"] = typeof(CaseNotAccepted),
        ["case_deemed_accepted"] = typeof(CaseDeemedAccepted),
        ["signature_recorded"] = typeof(SignatureRecorded),
        ["case_approved"] = typeof(CaseApproved),
        ["case_denied"] = typeof(CaseDenied),
        ["parallel_review_started"] = typeof(ParallelReviewStarted),
        ["parallel_opinion_given"] = typeof(ParallelOpinionGiven),
        ["parallel_consent_deemed"] = typeof(ParallelConsentDeemed),
        ["joint_meeting_held"] = typeof(JointMeetingHeld),
        ["case_suspended"] = typeof(CaseSuspended),
        ["case_resumed"] = typeof(CaseResumed),
        ["deadline_extended"] = typeof(DeadlineExtended),
        ["licence_issued"] = typeof(LicenceIssued),
        ["licence_delivered"] = typeof(LicenceDelivered),
        ["case_withdrawn"] = typeof(CaseWithdrawn),
        ["case_transferred"] = typeof(CaseTransferred),
        ["post_check_recorded"] = typeof(PostCheckRecorded),
        ["deferred_material_overdue"] = typeof(DeferredMaterialOverdue),
        ["post_check_overdue"] = typeof(PostCheckOverdue),
        ["licence_revoked"] = typeof(LicenceRevoked),
        ["promised_deadline_passed"] = typeof(PromisedDeadlinePassed),
        ["statutory_deadline_passed"] = typeof(StatutoryDeadlinePassed),
        ["suspension_overran"] = typeof(SuspensionOverran),
        ["fees_assessed"] = typeof(FeesAssessed),
        ["fee_paid"] = typeof(FeePaid),
        ["online_payment_started"] = typeof(OnlinePaymentStarted),
        ["fee_waived"] = typeof(FeeWaived),
        ["fee_notice_cancelled"] = typeof(FeeNoticeCancelled),
        ["fee_refund_due"] = typeof(FeeRefundDue),
        ["fee_refunded"] = typeof(FeeRefunded),
        ["approval_awaiting_fees"] = typeof(ApprovalAwaitingFees),
        ["rating_submitted"] = typeof(RatingSubmitted),
        ["rating_called_back"] = typeof(RatingCalledBack),
        ["rating_rectified"] = typeof(RatingRectified),
        ["rating_callback_overdue"] = typeof(RatingCallbackOverdue),
        ["rating_rectification_overdue"] = typeof(RatingRectificationOverdue),
        ["rating_appealed"] = typeof(RatingAppealed),
        ["rating_appeal_decided"] = typeof(RatingAppealDecided),
        ["complaint_filed"] = typeof(ComplaintFiled),
        ["complaint_accepted"] = typeof(ComplaintAccepted),
        ["complaint_declined"] = typeof(ComplaintDeclined),
        ["complaint_assigned"] = typeof(ComplaintAssigned),
        ["complaint_investigated"] = typeof(ComplaintInvestigated),
        ["complaint_rectified"] = typeof(ComplaintRectified),
        ["complaint_replied"] = typeof(ComplaintReplied),
        ["complaint_closed"] = typeof(ComplaintClosed),
        ["complaint_step_overdue"] = typeof(ComplaintStepOverdue),
        ["complaint_accountability_linked"] = typeof(ComplaintAccountabilityLinked),
        ["accountability_measure_recorded"] = typeof(AccountabilityMeasureRecorded),
        ["matter_published"] = typeof(MatterPublished),
        ["matter_revised"] = typeof(MatterRevised),
        ["matter_revoked"] = typeof(MatterRevoked),
        ["fee_item_published"] = typeof(FeeItemPublished),
        ["fee_item_reviewed"] = typeof(FeeItemReviewed),
        ["fee_item_revoked"] = typeof(FeeItemRevoked),
        ["department_created"] = typeof(DepartmentCreated),
        ["department_leader_assigned"] = typeof(DepartmentLeaderAssigned),
        ["window_opened"] = typeof(WindowOpened),
        ["staff_registered"] = typeof(StaffRegistered),
        ["delegation_granted"] = typeof(DelegationGranted),
        ["delegation_revoked"] = typeof(DelegationRevoked),
        ["calendar_year_set"] = typeof(CalendarYearSet),
        ["file_review_started"] = typeof(FileReviewStarted),
        ["file_review_case_graded"] = typeof(FileReviewCaseGraded),
        ["history_sealed"] = typeof(HistorySealed),
        ["alert_raised"] = typeof(GovEvents.Domain.Supervision.AlertRaised),
        ["alert_reviewed"] = typeof(GovEvents.Domain.Supervision.AlertReviewed),
        ["alert_resolved"] = typeof(GovEvents.Domain.Supervision.AlertResolved),
    };

    private static readonly Type[] StreamBases =
    [
        typeof(ICaseEvent), typeof(IComplaintEvent), typeof(IMatterEvent), typeof(IFeeItemEvent), typeof(IFileReviewEvent), typeof(IHistorySealEvent),
        typeof(IDepartmentEvent), typeof(IWindowEvent), typeof(IStaffEvent), typeof(IDelegationEvent), typeof(ICalendarEvent), typeof(GovEvents.Domain.Supervision.IAlertEvent),
    ];

    [Fact]
    public void Every_event_is_stored_under_its_pinned_name() =>
        EventNames.All.Select(e => (e.Name, e.Type)).ShouldBe(Stored.Select(s => (s.Key, s.Value)), ignoreOrder: true);

    [Fact]
    public void No_two_events_share_a_name_and_no_event_has_two()
    {
        EventNames.All.Select(e => e.Name).ShouldBeUnique();
        EventNames.All.Select(e => e.Type).ShouldBeUnique();
    }

    [Fact]
    public void Every_event_belongs_to_exactly_one_stream() =>
        EventNames.All.Where(e => StreamBases.Count(b => b.IsAssignableFrom(e.Type)) != 1).Select(e => e.Type.Name).ShouldBeEmpty();

    [Fact]
    public void Every_event_of_every_stream_has_a_storage_name()
    {
        var events = typeof(ICaseEvent).Assembly.GetTypes()
            .Where(t => t is { IsAbstract: false, IsInterface: false } && StreamBases.Any(b => b.IsAssignableFrom(t)));
        events.Except(EventNames.All.Select(e => e.Type)).Select(t => t.Name).ShouldBeEmpty();
    }
}
