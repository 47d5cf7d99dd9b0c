namespace GovEvents.Api.Hosting;

/// <summary>
/// Headers on every answer: browsers do not guess content types (nosniff), and nothing under /api is
/// kept by a browser or proxy cache (answers carry applicants' names, id numbers and phones).
/// </summary>
public static class SecurityHeaders
{
    public static IApplicationBuilder UseSecurityHeaders(this IApplicationBuilder app) => app.Use(async (http, next) =>
    {
        http.Response.OnStarting(() =>
        {
            var headers = http.Response.Headers;
            headers.XContentTypeOptions = "nosniff";
            if (http.Request.Path.StartsWithSegments("/api")) headers.CacheControl = "no-store";
            return Task.CompletedTask;
        });
        await next(http);
    });
}
