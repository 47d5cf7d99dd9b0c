using System.Data.Common;
using Weasel.Core;
using Weasel.Core.Migrations;
using Weasel.Postgresql;
using DbCommandBuilder = Weasel.Core.DbCommandBuilder;

namespace GovEvents.Store.TamperEvidence;

/// <summary>
/// A database object of the tamper evidence, managed by Marten's schema migrations but never dropped by them.
/// Its state is read from the catalog as one text (<paramref name="probe"/>, null when absent) and compared with
/// <paramref name="expected"/>, written exactly as PostgreSQL prints it so that a started store finds no difference.
/// A difference is repaired in place by <paramref name="update"/> (CREATE OR REPLACE, re-create a trigger, grant):
/// Weasel's own objects would drop a function with CASCADE, taking the triggers that use it along. Without an
/// update (a table holding evidence) a difference is invalid: Marten refuses to start rather than guess.
/// </summary>
internal sealed class CatalogObject(
    DbObjectName identifier,
    string probe,
    string expected,
    string create,
    string? update,
    params DbObjectName[] dependsOn) : ISchemaObject, ISchemaObjectWithDependencies
{
    public DbObjectName Identifier { get; } = identifier;

    public IEnumerable<DbObjectName> DependsOn => dependsOn;

    private readonly string? _update = update;

    public void WriteCreateStatement(Migrator migrator, TextWriter writer) => writer.WriteLine(create);

    // Evidence is never removed by tooling (Marten's clean-up included): dropping it is a deliberate act in psql.
    public void WriteDropStatement(Migrator rules, TextWriter writer)
    {
    }

    public void ConfigureQueryCommand(DbCommandBuilder builder) => builder.Append($"select ({probe})::text;");

    public async Task<ISchemaObjectDelta> CreateDeltaAsync(DbDataReader reader, CancellationToken ct = default)
    {
        string? actual = null;
        if (await reader.ReadAsync(ct).ConfigureAwait(false) && !await reader.IsDBNullAsync(0, ct).ConfigureAwait(false))
            actual = reader.GetString(0);
        var difference = actual is null ? SchemaPatchDifference.Create
            : Normalize(actual) == Normalize(expected) ? SchemaPatchDifference.None
            : _update is null ? SchemaPatchDifference.Invalid
            : SchemaPatchDifference.Update;
        return new Delta(this, difference);
    }

    public IEnumerable<DbObjectName> AllNames() => [Identifier];

    public override string ToString() => Identifier.QualifiedName;

    public static DbObjectName Name(string schema, string name) =>
        new PostgresqlObjectName(schema, name, SchemaUtils.IdentifierUsage.General);

    // pg_get_functiondef ends a definition with a line break; nothing else is forgiven.
    private static string Normalize(string sql) => sql.Replace("\r\n", "\n").Trim().TrimEnd(';');

    private sealed class Delta(CatalogObject target, SchemaPatchDifference difference) : ISchemaObjectDelta
    {
        public ISchemaObject SchemaObject => target;

        public SchemaPatchDifference Difference => difference;

        public void WriteUpdate(Migrator rules, TextWriter writer) => writer.WriteLine(target._update);

        // Nothing to roll back to: the previous definition is not kept, and evidence is never dropped.
        public void WriteRollback(Migrator rules, TextWriter writer)
        {
        }

        public void WriteRestorationOfPreviousState(Migrator rules, TextWriter writer)
        {
        }

        public override string ToString() => $"{target.Identifier.QualifiedName} {difference}";
    }
}
