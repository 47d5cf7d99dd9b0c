using System.Text.RegularExpressions;

namespace GovEvents.EventStore;

/// <summary>Names and lock keys of a projection's tables, checkpoint and leadership.</summary>
internal sealed partial class ProjectionNames
{
    // Short enough that "{table}__shadow_some_index" stays within PostgreSQL's 63 characters.
    [GeneratedRegex("^[a-z_][a-z0-9_]{0,39}$")]
    private static partial Regex Identifier();

    private const string ShadowSuffix = "__shadow";

    public ProjectionNames(string schema, IProjection projection)
    {
        if (!Identifier().IsMatch(projection.Name))
            throw new ArgumentException($"Projection name '{projection.Name}' must be a lower-case SQL identifier of at most 40 characters.");
        foreach (var t in projection.Tables)
        {
            if (!Identifier().IsMatch(t.Name))
                throw new ArgumentException($"Table '{t.Name}' of projection {projection.Name} must be a lower-case SQL identifier of at most 40 characters.");
            if (!t.CreateSql.Contains("{table}", StringComparison.Ordinal))
                throw new ArgumentException($"CreateSql of table '{t.Name}' must name the table as {{table}}.");
        }
        Schema = schema;
        Name = projection.Name;
        Tables = projection.Tables;
        LeadershipKey = $"govevents-projection:{schema}:{projection.Name}";
        RebuildKey = $"govevents-projection-rebuild:{schema}:{projection.Name}";
        DdlKey = $"govevents-projection-ddl:{schema}:{projection.Name}";
    }

    public string Schema { get; }
    public string Name { get; }
    public IReadOnlyList<ProjectionTable> Tables { get; }

    /// <summary>Session advisory lock held by the node that runs the projection.</summary>
    public string LeadershipKey { get; }

    /// <summary>Session advisory lock held for the whole of a rebuild, so that two never overlap.</summary>
    public string RebuildKey { get; }

    /// <summary>Transaction advisory lock around creating, dropping and swapping the tables.</summary>
    public string DdlKey { get; }

    public string Live(string logical) => ProjectionContext.LiveTable(Schema, logical);

    public string ShadowBare(string logical) => logical + ShadowSuffix;

    public string Shadow(string logical) => $"{Schema}.{ShadowBare(logical)}";

    /// <summary>Declared tables go to their shadow copies; anything else a projection names stays live.</summary>
    public Func<string, string> ShadowResolver()
    {
        var declared = Tables.Select(t => t.Name).ToHashSet(StringComparer.Ordinal);
        return logical => declared.Contains(logical) ? Shadow(logical) : Live(logical);
    }

    public Func<string, string> LiveResolver() => Live;
}
