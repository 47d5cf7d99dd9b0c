using GovEvents.EventStore;

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
            var migrator = new DatabaseMigrator(EventStoreSetup.Options(settings), settings.OwnerConnectionString);
            var applied = await migrator.MigrateAsync(ct);
            await output.WriteLineAsync(applied.Count == 0
                ? $"migrate: schema '{settings.Schema}' is current (version {migrator.LatestVersion})."
                : $"migrate: applied {string.Join(", ", applied)} to schema '{settings.Schema}' (now version {migrator.LatestVersion}).");
            return 0;
        }
        catch (Exception e) when (e is Npgsql.NpgsqlException or ArgumentException or InvalidOperationException)
        {
            await error.WriteLineAsync($"migrate: failed: {e.Message}");
            return 1;
        }
    }
}
