using System.Reflection;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Mvc;

namespace GovEvents.Api.Hosting.Problems;

/// <summary>
/// A domain rule refused the command: 422 problem details with a stable <c>rule</c> code
/// (materials-incomplete, no-authority, ...) that clients switch on. Endpoints return
/// <c>Refusal.Refused(rule, detail)</c>; code that cannot return a result may throw
/// <see cref="DomainRefusalException"/>, which the exception handler maps the same way.
/// </summary>
public sealed class Refusal(string rule, string detail) : IResult, IStatusCodeHttpResult, IContentTypeHttpResult, IEndpointMetadataProvider
{
    public const string ContentType = "application/problem+json";

    public string Rule { get; } = rule;
    public string Detail { get; } = detail;

    int? IStatusCodeHttpResult.StatusCode => StatusCodes.Status422UnprocessableEntity;
    string IContentTypeHttpResult.ContentType => ContentType;

    public static Refusal Refused(string rule, string detail) => new(rule, detail);

    public static ProblemDetails Problem(string rule, string detail) => new()
    {
        Status = StatusCodes.Status422UnprocessableEntity,
        Title = "The request was refused by a rule",
        Detail = detail,
        Extensions = { ["rule"] = rule },
    };

    public async Task ExecuteAsync(HttpContext http)
    {
        http.Response.StatusCode = StatusCodes.Status422UnprocessableEntity;
        var problems = http.RequestServices.GetRequiredService<IProblemDetailsService>();
        await problems.WriteAsync(new ProblemDetailsContext { HttpContext = http, ProblemDetails = Problem(Rule, Detail) });
    }

    public static void PopulateMetadata(MethodInfo method, EndpointBuilder builder) =>
        builder.Metadata.Add(new ProducesResponseTypeMetadata(StatusCodes.Status422UnprocessableEntity, typeof(ProblemDetails), [ContentType]));
}

/// <summary>A domain refusal thrown where returning a <see cref="Refusal"/> is not possible.</summary>
public sealed class DomainRefusalException(string rule, string detail) : Exception(detail)
{
    public string Rule { get; } = rule;
}
