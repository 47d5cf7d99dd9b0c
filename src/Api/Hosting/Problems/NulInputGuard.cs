namespace GovEvents.Api.Hosting.Problems;

/// <summary>
/// A query holding NUL (%00) is a 400 before it reaches an endpoint: PostgreSQL takes no NUL in
/// text, so it would otherwise surface as a server error. Kestrel refuses a NUL in the path; JSON
/// bodies are guarded by <see cref="Json.NoNulStringConverter"/>.
/// </summary>
public static class NulInputGuard
{
    public static IApplicationBuilder UseNulInputGuard(this IApplicationBuilder app) => app.Use(async (http, next) =>
    {
        if (http.Request.Query.Any(q => q.Key.Contains('\0') || q.Value.Any(v => v?.Contains('\0') == true)))
            throw new BadHttpRequestException("The query may not contain the NUL character (%00).");
        await next(http);
    });
}
