using System.Collections.Immutable;

namespace GovEvents.Domain.Audit;

public enum FileGrade { Excellent, Pass, Fail }

/// <summary>An event of a file review's stream.</summary>
public interface IFileReviewEvent
{
    string ReviewId { get; }
}

/// <summary>A file review (案卷评查) began over a sample of the cases closed in [From, To].</summary>
public sealed record FileReviewStarted(string ReviewId, DateOnly From, DateOnly To, int SampleSize, IReadOnlyList<string> CaseIds,
    string StartedBy, DateTimeOffset StartedAt) : IFileReviewEvent;

/// <summary>One sampled case graded, with the reviewer's findings.</summary>
public sealed record FileReviewCaseGraded(string ReviewId, string CaseId, FileGrade Grade, string Findings, string GradedBy, DateTimeOffset GradedAt) : IFileReviewEvent;

/// <summary>
/// 案卷评查: an auditor or inspector samples closed cases of a period and grades each once
/// (excellent, pass, fail); a failing grade states its findings. Its own stream per review.
/// </summary>
public sealed record FileReview(string? Id, ImmutableList<string> Sample, ImmutableDictionary<string, FileGrade> Grades)
{
    public static readonly FileReview Empty = new(null, [], ImmutableDictionary<string, FileGrade>.Empty);

    public static string StreamId(string reviewId) => $"file-review-{reviewId}";

    public static FileReview Evolve(FileReview state, object e) => e switch
    {
        FileReviewStarted s => state with { Id = s.ReviewId, Sample = [.. s.CaseIds] },
        FileReviewCaseGraded g => state with { Grades = state.Grades.SetItem(g.CaseId, g.Grade) },
        _ => state,
    };

    /// <summary>
    /// Draws <paramref name="sampleSize"/> of <paramref name="closedCaseIds"/> with <paramref name="random"/>
    /// (all of them when there are fewer), in the order drawn.
    /// </summary>
    public static Decision Start(string reviewId, DateOnly from, DateOnly to, int sampleSize, IReadOnlyList<string> closedCaseIds,
        Random random, string by, DateTimeOffset now)
    {
        if (to < from) return Decision.Refuse(Rules.PeriodInvalid, "The period ends before it starts.");
        if (sampleSize < 1) return Decision.Refuse(Rules.SampleSizeInvalid, "A sample holds at least one case.");
        var drawn = closedCaseIds.Distinct().ToArray();
        random.Shuffle(drawn);
        return Decision.Of(new FileReviewStarted(reviewId, from, to, sampleSize, [.. drawn.Take(sampleSize)], by, now));
    }

    public static Decision Grade(FileReview state, string caseId, FileGrade grade, string findings, string by, DateTimeOffset now)
    {
        if (state.Id is null) return Decision.Refuse(Rules.NotFound, "No such file review.");
        if (!state.Sample.Contains(caseId)) return Decision.Refuse(Rules.CaseNotInSample, $"Case {caseId} is not in this review's sample.");
        if (state.Grades.ContainsKey(caseId)) return Decision.Refuse(Rules.AlreadyDecided, $"Case {caseId} is graded already.");
        if (grade == FileGrade.Fail && string.IsNullOrWhiteSpace(findings))
            return Decision.Refuse(Rules.ReasonRequired, "A failing grade states its findings.");
        return Decision.Of(new FileReviewCaseGraded(state.Id, caseId, grade, findings.Trim(), by, now));
    }
}

/// <summary>Stable storage names of these events, never the CLR names: renaming a type keeps what is stored.</summary>
public static class FileReviewEventNames
{
    public static readonly IReadOnlyList<(Type Type, string Name)> All =
    [
        (typeof(FileReviewStarted), "file_review_started"),
        (typeof(FileReviewCaseGraded), "file_review_case_graded"),
    ];
}
