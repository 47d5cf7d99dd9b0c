using GovEvents.Domain.Audit;
using Shouldly;

namespace GovEvents.Domain.Tests.Audit;

public sealed class FileReviewTests
{
    private static readonly DateTimeOffset Now = new(2026, 4, 1, 10, 0, 0, TimeSpan.FromHours(8));
    private static readonly string[] Closed = ["c-1", "c-2", "c-3", "c-4", "c-5"];

    private static FileReview Started(int sampleSize = 3, params string[] closed)
    {
        var decision = FileReview.Start("r-1", new DateOnly(2026, 3, 1), new DateOnly(2026, 3, 31), sampleSize,
            closed.Length > 0 ? closed : Closed, new Random(7), "auditor-1", Now);
        decision.IsRefused.ShouldBeFalse();
        return decision.Events.Aggregate(FileReview.Empty, FileReview.Evolve);
    }

    [Fact]
    public void A_review_samples_distinct_closed_cases_and_all_of_them_when_there_are_fewer()
    {
        var review = Started(3);
        review.Sample.Count.ShouldBe(3);
        review.Sample.ShouldBeSubsetOf(Closed);
        review.Sample.Distinct().Count().ShouldBe(3);

        Started(10, "c-1", "c-2", "c-2").Sample.ShouldBe(["c-1", "c-2"], ignoreOrder: true);
    }

    [Fact]
    public void A_sample_of_nothing_or_a_period_ending_before_it_starts_is_refused()
    {
        var march1 = new DateOnly(2026, 3, 1);
        var march31 = new DateOnly(2026, 3, 31);

        foreach (var (from, to, size, rule) in new[] { (march1, march31, 0, "sample-size-invalid"), (march31, march1, 3, "period-invalid") })
        {
            var decision = FileReview.Start("r-1", from, to, size, Closed, new Random(1), "auditor-1", Now);
            decision.Refusal!.Rule.ShouldBe(rule);
            decision.Events.ShouldBeEmpty();
        }
    }

    [Fact]
    public void Each_sampled_case_is_graded_once_and_a_fail_states_its_findings()
    {
        var review = Started(2);
        var first = review.Sample[0];

        var graded = FileReview.Grade(review, first, FileGrade.Pass, "", "auditor-1", Now);
        graded.Events.Single().ShouldBe(new FileReviewCaseGraded("r-1", first, FileGrade.Pass, "", "auditor-1", Now));
        var after = graded.Events.Aggregate(review, FileReview.Evolve);

        FileReview.Grade(after, first, FileGrade.Excellent, "", "auditor-1", Now).Refusal!.Rule.ShouldBe("already-decided");
        FileReview.Grade(after, review.Sample[1], FileGrade.Fail, "  ", "auditor-1", Now).Refusal!.Rule.ShouldBe("reason-required");
        FileReview.Grade(after, review.Sample[1], FileGrade.Fail, "缺少现场勘察记录", "auditor-1", Now).IsRefused.ShouldBeFalse();
        FileReview.Grade(after, "not-sampled", FileGrade.Pass, "", "auditor-1", Now).Refusal!.Rule.ShouldBe("case-not-in-sample");
        FileReview.Grade(FileReview.Empty, first, FileGrade.Pass, "", "auditor-1", Now).Refusal!.Rule.ShouldBe("not-found");
    }
}
