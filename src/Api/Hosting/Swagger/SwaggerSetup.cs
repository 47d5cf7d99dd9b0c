using Microsoft.OpenApi;

namespace GovEvents.Api.Hosting.Swagger;

/// <summary>OpenAPI at /swagger/v1/swagger.json and the UI at /swagger, with the bearer scheme ("Authorize").</summary>
public static class SwaggerSetup
{
    private const string Bearer = "Bearer";

    public static IServiceCollection AddGovEventsSwagger(this IServiceCollection services)
    {
        services.AddEndpointsApiExplorer();
        services.AddSwaggerGen(options =>
        {
            options.SwaggerDoc("v1", new OpenApiInfo
            {
                Title = "GovEvents API",
                Version = "v1",
                Description = "Administrative approval cases, supervision and audit on an event store. Errors are RFC 9457 problem details.",
            });
            options.AddSecurityDefinition(Bearer, new OpenApiSecurityScheme
            {
                Type = SecuritySchemeType.Http,
                Scheme = "bearer",
                BearerFormat = "JWT",
                Description = "A JWT with claims sub, role (repeatable) and dept. In development mode: POST /api/dev/tokens.",
            });
            options.AddSecurityRequirement(document => new OpenApiSecurityRequirement
            {
                [new OpenApiSecuritySchemeReference(Bearer, document)] = [],
            });
            options.CustomSchemaIds(SchemaId);
            options.SchemaFilter<RequestExamples>();
        });
        return services;
    }

    // Features may reuse short names (two "CreateRequest"s); our types are named by their feature namespace.
    private static string SchemaId(Type t)
    {
        if (t.IsGenericType)
            return $"{t.Name[..t.Name.IndexOf('`')]}Of{string.Join("And", t.GetGenericArguments().Select(SchemaId))}";
        return t.Namespace?.StartsWith("GovEvents.", StringComparison.Ordinal) == true
            ? $"{t.Namespace["GovEvents.".Length..].Replace("Api.", "")}.{t.Name}".Replace('+', '.')
            : t.Name;
    }

    public static WebApplication UseGovEventsSwagger(this WebApplication app)
    {
        app.UseSwagger();
        app.UseSwaggerUI(ui =>
        {
            ui.SwaggerEndpoint("/swagger/v1/swagger.json", "GovEvents API v1");
            ui.RoutePrefix = "swagger";
        });
        return app;
    }
}
