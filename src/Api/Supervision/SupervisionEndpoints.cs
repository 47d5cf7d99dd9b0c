using GovEvents.Api.Hosting.Auth;

namespace GovEvents.Api.Supervision;

/// <summary>
/// 电子监察 reads for inspectors, the hall manager and leaders, computed from the case views:
/// so far the traffic lights of open cases and the timeliness, rating, signing, parallel-review and complaint metrics.
/// </summary>
public static class SupervisionEndpoints
{
    public static IEndpointRouteBuilder MapSupervision(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/supervision/lights", TrafficLights.Get).WithTags("Supervision").RequireAuthorization(Policies.Supervision);
        app.MapGet("/api/metrics/timeliness", TimelinessMetrics.Get).WithTags("Supervision").RequireAuthorization(Policies.Supervision);
        app.MapGet("/api/metrics/ratings", RatingMetrics.Get).WithTags("Supervision").RequireAuthorization(Policies.Supervision);
        app.MapGet("/api/metrics/signing", ReviewMetrics.Signing).WithTags("Supervision").RequireAuthorization(Policies.Supervision);
        app.MapGet("/api/metrics/complaints", ComplaintMetrics.Get).WithTags("Supervision").RequireAuthorization(Policies.Supervision);
        app.MapGet("/api/metrics/parallel-review", ReviewMetrics.ParallelReview).WithTags("Supervision").RequireAuthorization(Policies.Supervision);
        return app;
    }
}
