namespace GovEvents.EventStore;

public sealed class EventStoreOptions
{
    /// <summary>Connection used for appends, reads and projections (the application role).</summary>
    public required string ConnectionString { get; set; }

    /// <summary>PostgreSQL schema holding every table of the store.</summary>
    public string Schema { get; set; } = "govevents";

    /// <summary>
    /// When set, migrations grant this role SELECT and INSERT only on events (and what the daemon
    /// needs elsewhere), so that history can only be altered by a superuser.
    /// </summary>
    public string? ApplicationRole { get; set; }

    /// <summary>Send a (coalesced) NOTIFY after appends so daemons in other processes wake at once.</summary>
    public bool NotifyOnAppend { get; set; } = true;

    public EventTypeRegistry Types { get; } = new();

    public IList<IProjection> InlineProjections { get; } = new List<IProjection>();

    internal string NotifyChannel => $"{Schema}_events";

    internal void Validate()
    {
        if (!System.Text.RegularExpressions.Regex.IsMatch(Schema, "^[a-z_][a-z0-9_]{0,62}$"))
            throw new ArgumentException($"Schema name '{Schema}' must be a lower-case SQL identifier.");
        if (ApplicationRole is not null && !System.Text.RegularExpressions.Regex.IsMatch(ApplicationRole, "^[a-z_][a-z0-9_]{0,62}$"))
            throw new ArgumentException($"Role name '{ApplicationRole}' must be a lower-case SQL identifier.");
    }
}
