using GovEvents.Api.Admin;
using GovEvents.Api.Audit;
using GovEvents.Api.Cases;
using GovEvents.Api.Catalogue;
using GovEvents.Api.Complaints;
using GovEvents.Api.Fees;
using GovEvents.Api.Ratings;
using GovEvents.Api.Supervision;
using GovEvents.Api.Dev;
using GovEvents.Api.Organisation;
using GovEvents.Api.Health;
using GovEvents.Api.Hosting.Auth;
using GovEvents.Api.Hosting.Context;
using GovEvents.Api.Hosting.Database;
using GovEvents.Api.Hosting.Idempotency;
using GovEvents.Api.Hosting.Json;
using GovEvents.Api.Hosting.Problems;
using GovEvents.Api.Hosting.Swagger;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Wolverine;

namespace GovEvents.Api.Hosting;

/// <summary>
/// The host: services in <see cref="AddGovEvents"/>, the pipeline in <see cref="UseGovEvents"/>.
/// Settings are read when services are resolved, never while building, so every configuration
/// source (including a test host's) is seen.
/// </summary>
public static class HostingExtensions
{
    public static WebApplicationBuilder AddGovEvents(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<GovEventsSettings>().Bind(builder.Configuration.GetSection(GovEventsSettings.Section))
            .PostConfigure(s => s.ConnectionString = GovEventsSettings.KeepingPassword(s.ConnectionString))
            .ValidateOnStart();
        services.AddSingleton<IValidateOptions<GovEventsSettings>, GovEventsSettingsValidation>();
        services.AddSingleton(sp => HallTimeZone.Find(sp.GetRequiredService<IOptions<GovEventsSettings>>().Value.TimeZone));

        // One clock for everything: the dev clock in development mode (settable), the system's otherwise.
        services.AddSingleton<DevClock>();
        services.RemoveAll<TimeProvider>();
        services.AddSingleton<TimeProvider>(sp => sp.GetRequiredService<IOptions<GovEventsSettings>>().Value.Dev.Enabled
            ? sp.GetRequiredService<DevClock>()
            : TimeProvider.System);

        // No "Server: Kestrel" on answers: nothing about the stack for a visitor to look up.
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Limits.MaxRequestBodySize = builder.Configuration.GetValue($"{GovEventsSettings.Section}:MaxRequestBodyBytes", 256L * 1024);
        });
        services.AddGovEventsStore(builder.Configuration);
        builder.Host.UseWolverine(opts => WolverineSetup.Configure(opts, builder.Configuration));
        // Wolverine logs every failed in-process invocation of a command (category: the message type) with
        // its stack, the conflicts it then retries included; the exception reaches the endpoint, whose
        // handler logs what really failed (a 500) and an unreachable database once per outage.
        builder.Logging.AddFilter(typeof(Commands.StreamCommand).FullName, LogLevel.Critical);
        builder.Logging.QuietFrameworksDuringOutages();
        services.AddHostedService<StartupTasks>();
        services.AddSingleton<IdempotencyStore>();

        services.AddProblemDetails();
        services.AddExceptionHandler<ProblemExceptionHandler>();
        services.AddSingleton<DatabaseOutage>();
        // Binding failures throw in every environment so that the exception handler turns them
        // into 400 problem details with "errors" (the default outside Development is an empty 400).
        services.Configure<RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
        services.AddGovEventsJson();
        services.AddGovEventsAuth();
        services.AddSingleton<TokenIssuer>();
        services.AddSingleton<StaffWindows>();
        services.AddGovEventsHealthChecks();
        services.AddGovEventsSwagger();

        services.AddPublicLookupLimits();
        services.AddCases(builder.Configuration);
        services.AddFeesRatingsAndComplaints(builder.Configuration);
        services.AddAlerts();
        services.AddProjections(builder.Configuration);
        services.AddSeals(builder.Configuration);
        return builder;
    }

    public static WebApplication UseGovEvents(this WebApplication app)
    {
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseNulInputGuard();
        app.UseRequestBodyLimit();
        app.UseSecurityHeaders();
        app.UseOutageRecovery();
        app.UseRateLimiter();
        if (app.Services.GetRequiredService<IOptions<GovEventsSettings>>().Value.ServesSwagger)
            app.UseGovEventsSwagger();
        app.UseRouting();
        app.UseAuthentication();
        app.UseMiddleware<EventContextMiddleware>();
        app.UseAuthorization();
        app.UseMiddleware<IdempotencyMiddleware>();
        app.MapGovEventsEndpoints();
        return app;
    }

    /// <summary>Every endpoint group; features add their MapXxx call here.</summary>
    public static IEndpointRouteBuilder MapGovEventsEndpoints(this WebApplication app)
    {
        app.MapGovEventsHealth();
        if (app.Services.GetRequiredService<IOptions<GovEventsSettings>>().Value.Dev.Enabled)
            app.MapDevEndpoints();
        app.MapOrganisation();
        app.MapMatters();
        app.MapCases();
        app.MapFeeItems();
        app.MapCaseFees();
        app.MapOnlinePaymentNotifications();
        app.MapRatings();
        app.MapComplaints();
        app.MapSupervision();
        app.MapAlerts();
        app.MapProjectionAdmin();
        app.MapAudit();
        foreach (var module in app.Services.GetServices<IEndpointModule>())
            module.Map(app);
        return app;
    }
}
