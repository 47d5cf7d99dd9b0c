using Weasel.Core;
using Weasel.Postgresql;

namespace GovEvents.Store.TamperEvidence;

/// <summary>
/// What the application role may do on the events, exactly: read them, and append through Marten's Rich append,
/// which INSERTs the stream row (a new stream) or UPDATEs its version (the expected-version check), then INSERTs
/// the events with sequence numbers it drew from the sequence. Nothing else is granted, and anything else granted
/// directly to the role on these objects is revoked (the quick append function's EXECUTE included: Rich append
/// does not call it), so it can neither change events, stream rows beyond their version, nor write hashes (the
/// hash trigger runs as the schema's owner). The triggers of <see cref="TamperEvidenceSchema"/> hold what the
/// grants cannot say: a version only advances, with its events, and an inserted event stays on its chain.
/// </summary>
internal static class ApplicationRoleGrants
{
    /// <param name="Name">The object's name within the schema; null for the schema itself.</param>
    /// <param name="Privileges">As the probe prints them: sorted, a column privilege as <c>UPDATE(column)</c>; empty: none.</param>
    private sealed record Grant(string Kind, string? Name, string Privileges);

    private static readonly Grant[] Grants =
    [
        new("SCHEMA", null, "USAGE"),
        new("TABLE", "mt_streams", "INSERT,SELECT,UPDATE(version)"),
        new("TABLE", "mt_events", "INSERT,SELECT"),
        new("SEQUENCE", "mt_events_sequence", "SELECT,USAGE"),
        new("TABLE", TamperEvidenceSchema.HashTable, "SELECT"),
        new("FUNCTION", "mt_quick_append_events", ""),
    ];

    public static CatalogObject For(string schema, string role)
    {
        var probe = "select concat_ws('; ', "
            + string.Join(", ", Grants.Select(g => $"'{Describe(g, schema)}: ' || coalesce(({Acl(g, schema)}), '')"))
            + $") from pg_roles r where r.rolname = '{role}'";
        var expected = string.Join("; ", Grants.Select(g => $"{Describe(g, schema)}: {g.Privileges}"));
        var statements = string.Join("\n", Grants.Select(g => Statement(g, schema, role)));

        return new CatalogObject(CatalogObject.Name(schema, $"ge_grants_{role}"), probe, expected,
            create: statements, update: statements,
            Grants.Where(g => g.Name is not null).Select(g => CatalogObject.Name(schema, g.Name!)).ToArray());
    }

    private static string Describe(Grant g, string schema) => g.Name is null ? $"{g.Kind} {schema}" : $"{g.Kind} {schema}.{g.Name}";

    private static string Acl(Grant g, string schema)
    {
        const string privileges = "select string_agg(a.privilege_type, ',' order by a.privilege_type)";
        return g.Kind switch
        {
            "SCHEMA" => $"{privileges} from pg_namespace n, aclexplode(n.nspacl) a where n.nspname = '{schema}' and a.grantee = r.oid",
            // Marten re-creates its functions with new signatures across versions: every overload counts.
            "FUNCTION" => $"{privileges} from (select distinct a.privilege_type from pg_proc p join pg_namespace n on n.oid = p.pronamespace, aclexplode(p.proacl) a where n.nspname = '{schema}' and p.proname = '{g.Name}' and a.grantee = r.oid) a",
            "TABLE" => $"""
                select string_agg(p, ',' order by p) from (
                    select a.privilege_type as p from pg_class c, aclexplode(c.relacl) a where c.oid = to_regclass('{schema}.{g.Name}') and a.grantee = r.oid
                    union all
                    select a.privilege_type || '(' || t.attname || ')' from pg_attribute t, aclexplode(t.attacl) a
                     where t.attrelid = to_regclass('{schema}.{g.Name}') and a.grantee = r.oid) p
                """,
            _ => $"{privileges} from pg_class c, aclexplode(c.relacl) a where c.oid = to_regclass('{schema}.{g.Name}') and a.grantee = r.oid",
        };
    }

    // REVOKE ALL on a table revokes its column privileges too.
    private static string Statement(Grant g, string schema, string role) => g.Kind switch
    {
        "SCHEMA" => $"REVOKE ALL ON SCHEMA {schema} FROM \"{role}\"; GRANT {g.Privileges} ON SCHEMA {schema} TO \"{role}\";",
        "FUNCTION" => $$"""
            DO $grants$
            DECLARE f regprocedure;
            BEGIN
                FOR f IN SELECT p.oid FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
                          WHERE n.nspname = '{{schema}}' AND p.proname = '{{g.Name}}' LOOP
                    EXECUTE format('REVOKE ALL ON FUNCTION %s FROM "{{role}}"', f);
                    {{(g.Privileges.Length == 0 ? "" : $"EXECUTE format('GRANT {g.Privileges} ON FUNCTION %s TO \"{role}\"', f);")}}
                END LOOP;
            END
            $grants$;
            """,
        _ => $"REVOKE ALL ON {g.Kind} {schema}.{g.Name} FROM \"{role}\";"
             + (g.Privileges.Length == 0 ? "" : $" GRANT {g.Privileges.Replace(",", ", ")} ON {g.Kind} {schema}.{g.Name} TO \"{role}\";"),
    };
}
