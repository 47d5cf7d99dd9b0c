using System.Collections.Immutable;
using GovEvents.Domain.Supervision;
using GovEvents.Store;
using JasperFx.Events;
using Marten;
using Marten.Events.Aggregation;

namespace GovEvents.Projections.Supervision;

public sealed record AlertReviewView(string Note, string By, DateTimeOffset ReviewedAt);

/// <summary>An alert (预警) as the supervision list shows it, one document per alert stream.</summary>
public sealed record AlertView
{
    public string Id { get; init; } = "";
    public string Rule { get; init; } = "";
    public string Kind { get; init; } = "";
    public string? CaseId { get; init; }
    public string? ComplaintId { get; init; }
    public string? RatingId { get; init; }
    public string DepartmentCode { get; init; } = "";
    public string? WindowCode { get; init; }
    public string? StaffId { get; init; }
    public string Detail { get; init; } = "";
    public DateTimeOffset FirstSeen { get; init; }
    public DateTimeOffset? ResolvedAt { get; init; }
    public string? Resolution { get; init; }
    public bool Open { get; init; }
    public ImmutableList<AlertReviewView> Reviews { get; init; } = [];
}

/// <summary>The alert list, async, from the alert streams alone: a rebuild from zero gives the same alerts, reviews included.</summary>
public sealed class AlertViewProjection : SingleStreamProjection<AlertView, string>
{
    public const string ProjectionName = "alert_views";

    public AlertViewProjection()
    {
        Name = ProjectionName;
        foreach (var (type, _) in AlertEventNames.All) IncludeType(type);
    }

    public override AlertView? Evolve(AlertView? snapshot, string id, IEvent e) => e.Data switch
    {
        AlertRaised r => new AlertView
        {
            Id = r.AlertId, Rule = r.Rule, Kind = AlertRules.IsDeadline(r.Rule) ? "deadline" : "anomaly",
            CaseId = r.CaseId, ComplaintId = r.ComplaintId, RatingId = r.RatingId, DepartmentCode = r.DepartmentCode,
            WindowCode = r.WindowCode, StaffId = r.StaffId, Detail = r.Detail, FirstSeen = r.FirstSeen, Open = true,
        },
        AlertReviewed r when snapshot is not null => snapshot with { Reviews = snapshot.Reviews.Add(new AlertReviewView(r.Note, r.By, r.ReviewedAt)) },
        AlertResolved r when snapshot is not null => snapshot with { ResolvedAt = r.ResolvedAt, Resolution = r.Cause, Open = false },
        _ => snapshot,
    };

    public static void Configure(StoreOptions opts)
    {
        opts.Schema.For<AlertView>().DocumentAlias("alert_view")
            .Duplicate(x => x.Rule).Duplicate(x => x.DepartmentCode).Duplicate(x => x.StaffId).Duplicate(x => x.Open)
            .Duplicate(x => x.FirstSeen, pgType: "timestamptz");
        opts.Projections.Add(new AlertViewProjection(), JasperFx.Events.Projections.ProjectionLifecycle.Async, asyncConfiguration: AsyncProjections.Paging);
    }
}
