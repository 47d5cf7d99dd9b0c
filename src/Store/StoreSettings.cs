namespace GovEvents.Store;

/// <summary>Where the events live and who may touch them: what our Marten configuration needs from settings.</summary>
public sealed record StoreSettings
{
    /// <summary>Npgsql connection of the application role.</summary>
    public required string ConnectionString { get; init; }

    /// <summary>PostgreSQL schema of every table (documents, events, tamper evidence).</summary>
    public string Schema { get; init; } = "govevents";

    /// <summary>The role the application connects as, granted read and insert only on events; none in tests that run as owner.</summary>
    public string? ApplicationRole { get; init; }
}
