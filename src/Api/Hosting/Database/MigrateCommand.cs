using GovEvents.Store;

namespace GovEvents.Api.Hosting.Database;

/// <summary>
/// `dotnet GovEvents.Api.dll migrate`: applies the migrations with the owner connection and exits,
/// for deployments whose application role may not run DDL (they set GovEvents:MigrateOnStartup=false).
/// Reads the same configuration as the API (appsettings, environment, command line).
/// </summary>
public static class MigrateCommand
{
    public const string Name = "migrate";

    public static async Task<int> RunAsync(string[] args)
    {
        var builder = WebApplication.CreateBuilder(args);
        return await RunAsync(builder.Configuration, Console.Out, Console.Error);
    }

    /// <summary>0 when the schema is current afterwards, 1 with the reason on <paramref name="error"/> otherwise.</summary>
    public static async Task<int> RunAsync(IConfiguration configuration, TextWriter output, TextWriter error, CancellationToken ct = default)
    {
        var settings = configuration.GetSection(GovEventsSettings.Section).Get<GovEventsSettings>() ?? new GovEventsSettings();
        if (string.IsNullOrWhiteSpace(settings.OwnerConnectionString))
        {
            await error.WriteLineAsync("migrate: set GovEvents:MigrationConnectionString (or GovEvents:ConnectionString).");
            return 1;
        }
        try
        {
            // The API's own services describe the schema: build them (nothing starts) and migrate.
            var builder = WebApplication.CreateBuilder();
            builder.Configuration.AddConfiguration(configuration);
            // This host only migrates: it signs no token, so a key it needs to start can be any.
            if (string.IsNullOrWhiteSpace(settings.Jwt.SigningKey))
                builder.Configuration[$"{GovEventsSettings.Section}:Jwt:SigningKey"] = Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(48));
            builder.AddGovEvents();
            await using var app = builder.Build();
            var changed = await app.Services.GetRequiredService<DatabaseMigrator>().MigrateAsync(ct);
            await output.WriteLineAsync(changed
                ? $"migrate: schema '{settings.Schema}' brought up to date."
                : $"migrate: schema '{settings.Schema}' is current.");
            return 0;
        }
        catch (Exception e) when (e is Npgsql.NpgsqlException or ArgumentException or InvalidOperationException)
        {
            await error.WriteLineAsync($"migrate: failed: {e.Message}");
            return 1;
        }
    }
}
