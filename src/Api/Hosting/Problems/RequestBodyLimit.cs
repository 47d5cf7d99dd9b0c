using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Options;

namespace GovEvents.Api.Hosting.Problems;

/// <summary>
/// A request body over GovEvents:MaxRequestBodyBytes is a 413 problem, before anything reads it:
/// at once when its Content-Length says so, otherwise when a chunked body grows past the limit
/// (Kestrel's own limit, set to the same value).
/// </summary>
public static class RequestBodyLimit
{
    public static IApplicationBuilder UseRequestBodyLimit(this IApplicationBuilder app)
    {
        var limit = app.ApplicationServices.GetRequiredService<IOptions<GovEventsSettings>>().Value.MaxRequestBodyBytes;
        return app.Use(async (http, next) =>
        {
            if (http.Request.ContentLength > limit)
                throw new BadHttpRequestException($"The request body is larger than {limit} bytes.", StatusCodes.Status413PayloadTooLarge);
            if (http.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } feature) feature.MaxRequestBodySize = limit;
            await next(http);
        });
    }
}
