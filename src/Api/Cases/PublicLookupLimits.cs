using System.Globalization;
using System.Threading.RateLimiting;
using GovEvents.Api.Hosting;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;

namespace GovEvents.Api.Cases;

/// <summary>
/// The public lookup (GET /api/public/cases/{caseNumber}) is limited per client and per case number
/// (fixed windows, GovEvents:PublicLookup): beyond either, 429 problem details with Retry-After, so
/// that query codes cannot be tried in bulk. Nothing else is limited here.
/// </summary>
public static class PublicLookupLimits
{
    private const string Lookup = "/api/public/cases";

    public static IServiceCollection AddPublicLookupLimits(this IServiceCollection services)
    {
        services.AddRateLimiter(_ => { });
        services.AddOptions<RateLimiterOptions>().Configure<IOptions<GovEventsSettings>>((o, settings) =>
        {
            var s = settings.Value.PublicLookup;
            var window = TimeSpan.FromSeconds(s.WindowSeconds);
            o.GlobalLimiter = PartitionedRateLimiter.CreateChained(
                Partitioned(http => $"client:{http.Connection.RemoteIpAddress}", s.PerClient, window),
                Partitioned(http => $"case:{CaseNumber(http)}", s.PerCase, window));
            o.OnRejected = RejectAsync;
        });
        return services;
    }

    private static PartitionedRateLimiter<HttpContext> Partitioned(Func<HttpContext, string> key, int permits, TimeSpan window) =>
        PartitionedRateLimiter.Create<HttpContext, string>(http => CaseNumber(http) is null
            ? RateLimitPartition.GetNoLimiter("")
            : RateLimitPartition.GetFixedWindowLimiter(key(http), _ => new FixedWindowRateLimiterOptions
            {
                PermitLimit = permits,
                Window = window,
                QueueLimit = 0,
            }));

    /// <summary>The case number of a public lookup; null for any other request.</summary>
    private static string? CaseNumber(HttpContext http) =>
        http.Request.Path.StartsWithSegments(Lookup, out var rest) && rest.Value is { Length: > 1 } value ? value[1..] : null;

    private static async ValueTask RejectAsync(OnRejectedContext context, CancellationToken ct)
    {
        var http = context.HttpContext;
        var wait = context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter) ? retryAfter : TimeSpan.FromSeconds(1);
        http.Response.StatusCode = StatusCodes.Status429TooManyRequests;
        http.Response.Headers.RetryAfter = Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
        await http.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new ProblemDetailsContext
        {
            HttpContext = http,
            ProblemDetails = new ProblemDetails
            {
                Status = StatusCodes.Status429TooManyRequests,
                Title = "Too many lookups",
                Detail = "Too many lookups from this client or of this case number; try again later.",
            },
        });
    }
}
