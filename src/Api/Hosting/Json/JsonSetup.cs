using System.Text.Json.Serialization.Metadata;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Http.Json;

namespace GovEvents.Api.Hosting.Json;

/// <summary>
/// HTTP JSON: camelCase (the minimal API default), enums as kebab-case strings ("in-review"),
/// DateOnly as yyyy-MM-dd (System.Text.Json's own format), instants in the hall's zone; text
/// holding NUL is refused, and request text longer than its field's limit (<see cref="TextLimits"/>).
/// </summary>
public static class JsonSetup
{
    public static IServiceCollection AddGovEventsJson(this IServiceCollection services)
    {
        services.AddOptions<JsonOptions>().Configure<HallTimeZone>((options, hall) => Apply(options.SerializerOptions, hall));
        return services;
    }

    public static void Apply(JsonSerializerOptions options, HallTimeZone hall)
    {
        options.PropertyNamingPolicy = JsonNamingPolicy.CamelCase;
        options.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.KebabCaseLower, allowIntegerValues: false));
        options.Converters.Add(new HallTimeJsonConverter(hall));
        options.Converters.Add(new NoNulStringConverter());
        options.TypeInfoResolver = (options.TypeInfoResolver ?? new System.Text.Json.Serialization.Metadata.DefaultJsonTypeInfoResolver())
            .WithAddedModifier(TextLimits.Apply);
    }
}
