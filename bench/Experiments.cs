namespace GovEvents.Bench;

/// <summary>
/// Proposed schema changes that can be tried on the benchmark's database only (--experiment name),
/// to measure a suggestion before it becomes a migration: bench/Experiments/{name}.sql, where
/// {schema} is the store's schema. Each file is written so that it can be copied as a migration.
/// A run with an experiment says so in its report.
/// </summary>
public static class Experiments
{
    public static readonly IReadOnlyDictionary<string, (string Description, string Sql)> All = Load();

    private static Dictionary<string, (string, string)> Load()
    {
        var assembly = typeof(Experiments).Assembly;
        var all = new Dictionary<string, (string, string)>();
        foreach (var resource in assembly.GetManifestResourceNames().Where(n => n.EndsWith(".sql", StringComparison.Ordinal)))
        {
            using var reader = new StreamReader(assembly.GetManifestResourceStream(resource)!);
            var sql = reader.ReadToEnd();
            // First line: "-- Experiment name: description."
            var first = sql[..sql.IndexOf('\n')];
            var colon = first.IndexOf(':');
            var name = first["-- Experiment ".Length..colon].Trim();
            all[name] = (first[(colon + 1)..].Trim().TrimEnd('.'), sql);
        }
        return all;
    }
}
