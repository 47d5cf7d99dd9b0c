using GovEvents.Api.Common;
using GovEvents.Api.Hosting.Auth;
using GovEvents.Store;

namespace GovEvents.Api.Audit;

public sealed record AuditEvent(long Sequence, Guid EventId, string StreamId, int Version, string Type, DateTimeOffset Timestamp,
    object Data, EventMetadata Metadata, string Hash);
/// <param name="Sealing">Seals were checked (a seal key is configured); false: the chains alone, which whoever can write
/// the database can recompute.</param>
/// <param name="Seals">Authentic seals the events were checked against.</param>
/// <param name="SealedThrough">The global sequence the latest authentic seal reached; later events rest on their chains alone.</param>
public sealed record IntegrityResponse(long VerifiedEvents, bool Ok, long? FirstBrokenSequence, string? FirstBrokenStream, string? Reason,
    bool Sealing, int Seals, long? SealedThrough);

/// <summary>The auditor's reads: any stream with its metadata, the global feed, and the whole hash chain verified.</summary>
public static class AuditEndpoints
{
    public static IEndpointRouteBuilder MapAudit(this IEndpointRouteBuilder app)
    {
        var audit = app.MapGroup("/api/audit").WithTags("Audit").RequireAuthorization(Policies.Audit);
        audit.MapGet("/streams/{streamId}/events", StreamEvents);
        audit.MapGet("/events", Feed);
        audit.MapGet("/integrity", Integrity);
        audit.MapSeals();
        app.MapFileReviews();
        return app;
    }

    private static AuditEvent ToAudit(StoredEvent e) =>
        new(e.Sequence, e.Id, e.StreamId, e.Version, e.Type, e.Timestamp, e.Data, e.Metadata, e.Hash is null ? "" : Convert.ToHexStringLower(e.Hash));

    private static async Task<IResult> StreamEvents(string streamId, int? fromVersion, string? format, HttpContext http, EventLog store, CancellationToken ct)
    {
        var errors = new FieldErrors().Require(fromVersion is null or >= 1, "fromVersion", "1 or more.").CheckList(null, null, format);
        if (errors.Any) return errors.Problem();
        if (await store.StreamVersionAsync(streamId, ct) is null) return CommandResults.NotFound($"No stream {streamId}.");
        return Answer(http, format, (await store.FetchStreamWithHashesAsync(streamId, fromVersion ?? 1, ct)).Select(ToAudit).ToList());
    }

    private static async Task<IResult> Feed(long? fromSequence, int? limit, string? format, HttpContext http, EventLog store, CancellationToken ct)
    {
        var errors = new FieldErrors().Require(fromSequence is null or >= 0, "fromSequence", "0 or more.")
            .Require(limit is null or (>= 1 and <= 1000), "limit", "1 to 1000.").CheckList(null, null, format);
        if (errors.Any) return errors.Problem();
        return Answer(http, format, (await store.ReadAllAsync(fromSequence ?? 0, limit ?? 100, ct)).Select(ToAudit).ToList());
    }

    /// <summary>The events as JSON (an array), or as CSV (data and metadata as their JSON text).</summary>
    private static IResult Answer(HttpContext http, string? format, IReadOnlyList<AuditEvent> events) =>
        Lists.WantsCsv(http, format) ? Results.Text(Lists.Csv(http, events), $"{Lists.CsvMediaType}; charset=utf-8") : Results.Ok(events);

    private static async Task<IResult> Integrity(SealService seals, CancellationToken ct)
    {
        var report = await seals.VerifyAsync(ct);
        return Results.Ok(new IntegrityResponse(report.VerifiedEvents, report.Ok, report.FirstBrokenSequence, report.FirstBrokenStream, report.Reason,
            report.Sealing, report.Seals, report.SealedThrough));
    }
}
