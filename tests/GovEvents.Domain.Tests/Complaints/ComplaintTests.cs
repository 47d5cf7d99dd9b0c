using GovEvents.Domain.Cases;
using GovEvents.Domain.Complaints;
using Shouldly;

namespace GovEvents.Domain.Tests.Complaints;

public sealed class ComplaintTests
{
    private const string Id = "c-1";
    private static readonly ComplaintDeadlines Deadlines = new();

    private static CaseClock At(int month, int day) =>
        new(new DateTimeOffset(2026, month, day, 10, 0, 0, TimeSpan.FromHours(8)), new DateOnly(2026, month, day), Calendar2026.Calendar);

    private static FileComplaint Filing(bool realName = true, string name = "李四") => new(Id, ComplaintChannel.Hotline,
        new ComplaintTarget(TargetKind.Window, "ZH-01"), ComplaintCategory.Conduct, "窗口人员态度差", new Complainant(name, "13900000000", realName),
        "applicant-9", "HALL");

    private static Complaint Given(params Decision[] decisions) => decisions.SelectMany(d =>
    {
        d.IsRefused.ShouldBeFalse(d.Refusal?.Detail);
        return d.Events;
    }).Aggregate(Complaint.Initial, Complaint.Evolve);

    private static Complaint After(Complaint state, Decision d)
    {
        d.IsRefused.ShouldBeFalse(d.Refusal?.Detail);
        return d.Events.Aggregate(state, Complaint.Evolve);
    }

    private static void ThenRefused(Decision d, string rule)
    {
        d.IsRefused.ShouldBeTrue($"expected a refusal '{rule}'");
        d.Refusal!.Rule.ShouldBe(rule);
        d.Events.ShouldBeEmpty();
    }

    private static readonly Complaint Filed = Given(ComplaintDecider.File(Complaint.Initial, Filing(), Deadlines, At(3, 2)));
    private static readonly Complaint Accepted = After(Filed, ComplaintDecider.Accept(Filed, "manager-1", Deadlines, At(3, 3)));
    private static readonly Complaint Assigned = After(Accepted, ComplaintDecider.Assign(Accepted, new AssignComplaint("MARKET", 10), "manager-1", At(3, 4)));

    private static Complaint Investigated(FindingsResult result) =>
        After(Assigned, ComplaintDecider.RecordFindings(Assigned, new RecordFindings(result, "查实"), "manager-1", Deadlines, At(3, 10)));

    [Fact]
    public void A_filed_complaint_is_due_for_acceptance_in_working_days()
    {
        Filed.Status.ShouldBe(ComplaintStatus.Filed);
        Filed.DueDate.ShouldBe(new DateOnly(2026, 3, 9));
        Filed.AwaitedStep.ShouldBe("acceptance");
    }

    [Fact]
    public void A_real_name_complaint_gives_name_and_phone_and_an_anonymous_one_need_not()
    {
        ThenRefused(ComplaintDecider.File(Complaint.Initial, Filing(name: ""), Deadlines, At(3, 2)), Rules.ComplainantContactRequired);
        ComplaintDecider.File(Complaint.Initial, Filing(realName: false, name: ""), Deadlines, At(3, 2)).IsRefused.ShouldBeFalse();
    }

    [Fact]
    public void The_whole_flow_runs_from_filing_to_closure()
    {
        var investigated = Investigated(FindingsResult.Substantiated);
        investigated.AwaitedStep.ShouldBe("rectification");
        investigated.DueDate.ShouldBe(Calendar2026.Calendar.AddWorkingDays(new DateOnly(2026, 3, 10), 15));
        var rectified = After(investigated, ComplaintDecider.Rectify(investigated, "批评教育，整改窗口服务", "manager-1", Deadlines, At(3, 11)));
        var replied = After(rectified, ComplaintDecider.Reply(rectified, "已整改并致歉", "leader-1", Deadlines, At(3, 12)));
        replied.AwaitedStep.ShouldBe("closure");
        var closed = After(replied, ComplaintDecider.Close(replied, 4, "manager-1", At(3, 13)));
        closed.Status.ShouldBe(ComplaintStatus.Closed);
        closed.Open.ShouldBeFalse();
    }

    [Fact]
    public void Assignment_sets_the_findings_due_date_from_its_due_days()
    {
        Assigned.DueDate.ShouldBe(Calendar2026.Calendar.AddWorkingDays(new DateOnly(2026, 3, 4), 10));
        ThenRefused(ComplaintDecider.Assign(Accepted, new AssignComplaint("MARKET", 0), "manager-1", At(3, 4)), Rules.DueDaysInvalid);
    }

    [Fact]
    public void A_step_out_of_order_is_refused()
    {
        ThenRefused(ComplaintDecider.Assign(Filed, new AssignComplaint("MARKET", 5), "manager-1", At(3, 3)), Rules.InvalidState);
        ThenRefused(ComplaintDecider.Accept(Accepted, "manager-1", Deadlines, At(3, 3)), Rules.InvalidState);
        ThenRefused(ComplaintDecider.Close(Assigned, 5, "manager-1", At(3, 5)), Rules.InvalidState);
        ThenRefused(ComplaintDecider.Rectify(Assigned, "x", "manager-1", Deadlines, At(3, 5)), Rules.InvalidState);
        ThenRefused(ComplaintDecider.Accept(Complaint.Initial, "manager-1", Deadlines, At(3, 3)), ComplaintDecider.NotFoundRule);
    }

    [Fact]
    public void A_reply_before_findings_is_refused_and_substantiated_findings_are_rectified_first()
    {
        ThenRefused(ComplaintDecider.Reply(Assigned, "答复", "manager-1", Deadlines, At(3, 5)), Rules.InvalidState);
        ThenRefused(ComplaintDecider.Reply(Filed, "答复", "manager-1", Deadlines, At(3, 5)), Rules.InvalidState);
        ThenRefused(ComplaintDecider.Reply(Investigated(FindingsResult.Partly), "答复", "manager-1", Deadlines, At(3, 11)), Rules.InvalidState);
    }

    [Fact]
    public void An_unsubstantiated_complaint_is_replied_to_without_rectification()
    {
        var investigated = Investigated(FindingsResult.Unsubstantiated);
        investigated.AwaitedStep.ShouldBe("reply");
        ThenRefused(ComplaintDecider.Rectify(investigated, "x", "manager-1", Deadlines, At(3, 11)), Rules.ComplaintUnsubstantiated);
        After(investigated, ComplaintDecider.Reply(investigated, "经核查不属实", "manager-1", Deadlines, At(3, 11))).Status.ShouldBe(ComplaintStatus.Replied);
    }

    [Fact]
    public void A_declined_complaint_states_its_reason_and_ends()
    {
        ThenRefused(ComplaintDecider.Decline(Filed, "", "manager-1", At(3, 3)), Rules.ReasonRequired);
        var declined = After(Filed, ComplaintDecider.Decline(Filed, "不属于受理范围", "manager-1", At(3, 3)));
        declined.Open.ShouldBeFalse();
        ThenRefused(ComplaintDecider.Accept(declined, "manager-1", Deadlines, At(3, 3)), Rules.InvalidState);
    }

    [Fact]
    public void Satisfaction_is_one_to_five()
    {
        var replied = After(Investigated(FindingsResult.Unsubstantiated),
            ComplaintDecider.Reply(Investigated(FindingsResult.Unsubstantiated), "答复", "manager-1", Deadlines, At(3, 11)));
        ThenRefused(ComplaintDecider.Close(replied, 0, "manager-1", At(3, 12)), Rules.SatisfactionInvalid);
        ThenRefused(ComplaintDecider.Close(replied, 6, "manager-1", At(3, 12)), Rules.SatisfactionInvalid);
    }

    [Fact]
    public void An_overdue_step_is_recorded_once_per_step()
    {
        ComplaintDecider.FlagOverdue(Filed, At(3, 9)).Events.ShouldBeEmpty();
        var overdue = ComplaintDecider.FlagOverdue(Filed, At(3, 10)).Events.Single().ShouldBeOfType<ComplaintStepOverdue>();
        (overdue.Step, overdue.DueDate).ShouldBe(("acceptance", new DateOnly(2026, 3, 9)));
        var flagged = Filed with { OverdueRecordedIn = ComplaintStatus.Filed };
        ComplaintDecider.FlagOverdue(flagged, At(3, 11)).Events.ShouldBeEmpty();

        var accepted = After(flagged, ComplaintDecider.Accept(flagged, "manager-1", Deadlines, At(3, 11)));
        ComplaintDecider.FlagOverdue(accepted, At(3, 20)).Events.Single().ShouldBeOfType<ComplaintStepOverdue>().Step.ShouldBe("assignment");
        var closedOrDeclined = After(Filed, ComplaintDecider.Decline(Filed, "重复投诉", "manager-1", At(3, 3)));
        ComplaintDecider.FlagOverdue(closedOrDeclined, At(4, 30)).Events.ShouldBeEmpty();
    }

    [Fact]
    public void Accountability_on_a_complaint_follows_findings_that_substantiate_it_and_is_linked_to_it()
    {
        var measure = new RecordAccountability("m-1", "clerk-1", AccountabilityMeasure.Education, "服务态度差", "manager-1");
        ThenRefused(ComplaintDecider.RecordAccountability(Assigned, measure, At(3, 5)), Rules.InvalidState);
        ThenRefused(ComplaintDecider.RecordAccountability(Investigated(FindingsResult.Unsubstantiated), measure, At(3, 11)), Rules.ComplaintUnsubstantiated);
        ThenRefused(ComplaintDecider.RecordAccountability(null, measure with { Reason = "" }, At(3, 11)), Rules.ReasonRequired);

        var d = ComplaintDecider.RecordAccountability(Investigated(FindingsResult.Partly), measure, At(3, 11));
        d.Events[0].ShouldBeOfType<AccountabilityMeasureRecorded>().ComplaintId.ShouldBe(Id);
        d.Events[1].ShouldBeOfType<ComplaintAccountabilityLinked>().StaffId.ShouldBe("clerk-1");
        ComplaintDecider.RecordAccountability(null, measure, At(3, 11)).Events.Single().ShouldBeOfType<AccountabilityMeasureRecorded>().ComplaintId.ShouldBeNull();
    }

    [Fact]
    public void Refusals_of_bad_content_say_what_was_wrong_not_invalid_state()
    {
        ThenRefused(ComplaintDecider.File(Filed, Filing(), Deadlines, At(3, 2)), Rules.ComplaintExists);
        ThenRefused(ComplaintDecider.File(Complaint.Initial, Filing() with { Content = " " }, Deadlines, At(3, 2)), Rules.ContentRequired);
        ThenRefused(ComplaintDecider.File(Complaint.Initial, Filing() with { Target = new ComplaintTarget(TargetKind.Window, "") }, Deadlines, At(3, 2)), Rules.TargetRequired);
        ThenRefused(ComplaintDecider.Assign(Accepted, new AssignComplaint(" ", 5), "manager-1", At(3, 4)), Rules.DepartmentRequired);
        ThenRefused(ComplaintDecider.Rectify(Investigated(FindingsResult.Partly), " ", "manager-1", Deadlines, At(3, 11)), Rules.ActionsRequired);
    }
}
