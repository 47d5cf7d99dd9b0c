using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Alba;
using Microsoft.Net.Http.Headers;

namespace GovEvents.Api.Tests.Infrastructure;

/// <summary>What our Alba scenarios expect beyond Alba's own assertions.</summary>
public static class Scenarios
{
    public const string ProblemJson = "application/problem+json";

    /// <summary>The response's media type, whatever its parameters (charset, ...).</summary>
    public static Scenario MediaTypeShouldBe(this Scenario scenario, string mediaType) =>
        scenario.AssertThat(new MediaTypeAssertion(mediaType));

    /// <summary>A problem details answer with <paramref name="status"/>.</summary>
    public static Scenario ProblemShouldBe(this Scenario scenario, HttpStatusCode status) =>
        scenario.StatusCodeShouldBe(status).MediaTypeShouldBe(ProblemJson);

    public static async Task<JsonNode> ReadJsonAsync(this IScenarioResult result) =>
        JsonNode.Parse(await result.ReadAsTextAsync()) ?? throw new JsonException("empty body");

    private sealed class MediaTypeAssertion(string expected) : IScenarioAssertion
    {
        public void Assert(Scenario scenario, AssertionContext context)
        {
            var actual = context.HttpContext.Response.ContentType;
            if (actual is null || !MediaTypeHeaderValue.TryParse(actual, out var parsed) || parsed.MediaType != expected)
                context.AddFailure($"Expected the media type {expected}, but the content type was '{actual}'");
        }
    }
}
