using System.Text.RegularExpressions;
using Weasel.Core;
using Weasel.Postgresql;
using Weasel.Core.Migrations;

namespace GovEvents.Store.TamperEvidence;

/// <summary>
/// Tamper evidence and append-only on Marten's events, as database objects Marten creates and migrates:
/// every event inserted into mt_events gets a SHA-256 hash chained to the previous event of its stream,
/// computed by the database and kept in <c>ge_event_hashes</c> keyed by the event's global sequence
/// (Marten drops columns it does not know from mt_events), and an event off its chain is refused; UPDATE, DELETE
/// and TRUNCATE of either table are refused by triggers; a stream row only advances its version, with its events;
/// the application role, when configured, may only read and append.
/// </summary>
/// <remarks>
/// Registered with <c>opts.Storage.Add</c>, not <c>ExtendedSchemaObjects</c>: Marten applies the extended
/// objects before it creates mt_events on a fresh database, and registered features after it.
/// </remarks>
public sealed partial class TamperEvidenceSchema : FeatureSchemaBase
{
    public const string HashTable = "ge_event_hashes";

    private readonly string _schema;
    private readonly string? _applicationRole;

    public TamperEvidenceSchema(Migrator migrator, string schema, string? applicationRole)
        : base("TamperEvidence", migrator)
    {
        if (!PlainIdentifier().IsMatch(schema))
            throw new ArgumentException($"Schema '{schema}' must be a lower-case unquoted identifier: the evidence compares its objects as PostgreSQL prints them.", nameof(schema));
        if (applicationRole is not null && !PlainIdentifier().IsMatch(applicationRole))
            throw new ArgumentException($"Role '{applicationRole}' must be a lower-case unquoted identifier.", nameof(applicationRole));
        _schema = schema;
        _applicationRole = applicationRole;
    }

    protected override IEnumerable<ISchemaObject> schemaObjects()
    {
        var s = _schema;
        var events = CatalogObject.Name(s, "mt_events");
        var hashes = CatalogObject.Name(s, HashTable);
        var streams = CatalogObject.Name(s, "mt_streams");

        yield return new CatalogObject(hashes,
            probe: $"""
                select (select string_agg(a.attname || ' ' || format_type(a.atttypid, a.atttypmod)
                                          || case when a.attnotnull then ' not null' else '' end, ', ' order by a.attnum)
                          from pg_attribute a where a.attrelid = t.oid and a.attnum > 0 and not a.attisdropped)
                       || ', ' || (select pg_get_constraintdef(c.oid) from pg_constraint c where c.conrelid = t.oid and c.contype = 'p')
                  from (select to_regclass('{s}.{HashTable}') as oid) t
                """,
            expected: "seq_id bigint not null, hash bytea not null, PRIMARY KEY (seq_id)",
            create: $"CREATE TABLE {s}.{HashTable} (seq_id bigint PRIMARY KEY, hash bytea NOT NULL);",
            update: null);

        // The canonical form is the JSON array [stream, version, type, data, [correlation, causation, headers],
        // microseconds since the epoch] as jsonb prints it, built by concatenation (cheaper than building a
        // jsonb): jsonb prints an array as its elements joined by ", ", each as it prints alone. Microseconds
        // keep the session's TimeZone out of it. STABLE, not IMMUTABLE, so that PostgreSQL inlines it.
        var eventHash = Function("ge_event_hash",
            "prev bytea, stream_id character varying, version bigint, type character varying, data jsonb, correlation_id character varying, causation_id character varying, headers jsonb, ts timestamp with time zone",
            """
             RETURNS bytea
             LANGUAGE sql
             STABLE PARALLEL SAFE
            AS $function$
                select sha256(coalesce(prev, ''::bytea) || convert_to(
                    '[' || to_json(stream_id)::text || ', ' || version::text || ', ' || to_json(type)::text || ', ' || data::text
                        || ', [' || coalesce(to_json(correlation_id)::text, 'null') || ', ' || coalesce(to_json(causation_id)::text, 'null')
                        || ', ' || coalesce(headers::text, 'null') || '], ' || floor(extract(epoch from ts) * 1000000)::bigint::text || ']', 'UTF8'))
            $function$
            """);
        yield return eventHash;

        // SECURITY DEFINER: the application role appends events but may not write hashes itself. Marten's Rich
        // append INSERTs into mt_events directly (seq_id, version and timestamp chosen by the client), so the
        // application role holds INSERT on it; this trigger is what keeps a direct INSERT on the chain: an event
        // follows the previous version of its stream (and comes after it in the global sequence), within the
        // version its stream row was advanced to, at a sequence number the sequence has issued, never archived.
        var recordHash = Function("ge_record_event_hash", "",
            $"""
             RETURNS trigger
             LANGUAGE plpgsql
             SECURITY DEFINER
             SET search_path TO 'pg_catalog', 'pg_temp'
            AS $function$
            declare
                prev record;
                stream_version bigint;
            begin
                select s.version into stream_version from {s}.mt_streams s where s.id = new.stream_id;
                select p.seq_id, h.hash into prev from {s}.mt_events p join {s}.{HashTable} h on h.seq_id = p.seq_id
                 where p.stream_id = new.stream_id and p.version = new.version - 1;
                if new.version < 1 or (new.version > 1 and prev.seq_id is null) or prev.seq_id >= new.seq_id
                   or new.version > coalesce(stream_version, 0) or new.seq_id < 1
                   or new.seq_id > (select q.last_value from {s}.mt_events_sequence q) or new.is_archived is true then
                    raise exception using errcode = 'GE403', message = format(
                        'event %s of stream %s (sequence %s) is refused: an event follows the previous version of its stream, within the version the stream was advanced to (%s), at a sequence number issued after the previous event''s, and is never archived',
                        new.version, new.stream_id, new.seq_id, stream_version);
                end if;
                insert into {s}.{HashTable} (seq_id, hash)
                values (new.seq_id, {s}.ge_event_hash(prev.hash,
                    new.stream_id, new.version, new.type, new.data, new.correlation_id, new.causation_id, new.headers, new."timestamp"));
                return null;
            end
            $function$
            """, eventHash.Identifier, hashes);
        yield return recordHash;

        // A stream row moves only forward, and only its version (and Marten's timestamp of it): its id, type,
        // tenant, creation and archiving never change, and no stream is created archived.
        var streamAdvanceOnly = Function("ge_stream_advance_only", "",
            """
             RETURNS trigger
             LANGUAGE plpgsql
            AS $function$
            begin
                if (tg_op = 'INSERT' and new.is_archived is true)
                   or (tg_op = 'UPDATE' and (new.version is null or new.version < old.version
                       or (to_jsonb(new) - 'version' - 'timestamp') is distinct from (to_jsonb(old) - 'version' - 'timestamp'))) then
                    raise exception using errcode = 'GE403',
                        message = format('%s of stream %s on %s.%s is refused: a stream row only advances its version, with its events', tg_op, new.id, tg_table_schema, tg_table_name);
                end if;
                return new;
            end
            $function$
            """);
        yield return streamAdvanceOnly;

        // At commit (the append path advances the stream row before it inserts the events), a stream's version
        // is its last event's: a version moved without its events is refused.
        var streamMatchesEvents = Function("ge_stream_version_matches_events", "",
            $"""
             RETURNS trigger
             LANGUAGE plpgsql
             SECURITY DEFINER
             SET search_path TO 'pg_catalog', 'pg_temp'
            AS $function$
            declare
                last_version bigint := coalesce((select max(e.version) from {s}.mt_events e where e.stream_id = new.id), 0);
            begin
                if new.version is distinct from last_version then
                    raise exception using errcode = 'GE403',
                        message = format('stream %s at version %s is refused: its last event is at version %s', new.id, new.version, last_version);
                end if;
                return null;
            end
            $function$
            """, events);
        yield return streamMatchesEvents;

        var refuse = Function("ge_refuse_history_change", "",
            """
             RETURNS trigger
             LANGUAGE plpgsql
            AS $function$
            begin
                raise exception using errcode = 'GE403',
                    message = format('%s on %s.%s is refused: events and their hashes are never changed or removed', tg_op, tg_table_schema, tg_table_name);
            end
            $function$
            """);
        yield return refuse;

        yield return Trigger("ge_events_hash", events, "AFTER INSERT", "ROW", recordHash);
        yield return Trigger("ge_events_append_only", events, "BEFORE DELETE OR UPDATE OR TRUNCATE", "STATEMENT", refuse);
        yield return Trigger("ge_event_hashes_append_only", hashes, "BEFORE DELETE OR UPDATE OR TRUNCATE", "STATEMENT", refuse);
        yield return Trigger("ge_streams_advance_only", streams, "BEFORE INSERT OR UPDATE", "ROW", streamAdvanceOnly);
        yield return Trigger("ge_streams_match_events", streams, "AFTER INSERT OR UPDATE", "ROW", streamMatchesEvents, deferred: true);

        if (_applicationRole is not null) yield return ApplicationRoleGrants.For(s, _applicationRole);
    }

    private CatalogObject Function(string name, string arguments, string rest, params DbObjectName[] dependsOn)
    {
        var definition = $"CREATE OR REPLACE FUNCTION {_schema}.{name}({arguments})\n{rest.Replace("\r\n", "\n")}";
        return new CatalogObject(CatalogObject.Name(_schema, name),
            probe: $"select pg_get_functiondef(p.oid) from pg_proc p where p.pronamespace = to_regnamespace('{_schema}') and p.proname = '{name}'",
            expected: definition,
            create: definition + ";",
            update: definition + ";",
            dependsOn);
    }

    // A trigger is re-created, never left missing or disabled: a start repairs what ALTER TABLE … DISABLE TRIGGER did.
    // A deferred trigger is a constraint trigger checked at commit.
    private CatalogObject Trigger(string name, DbObjectName table, string when, string scope, CatalogObject function, bool deferred = false)
    {
        var definition = deferred
            ? $"CREATE CONSTRAINT TRIGGER {name} {when} ON {table.QualifiedName} DEFERRABLE INITIALLY DEFERRED FOR EACH {scope} EXECUTE FUNCTION {function.Identifier.QualifiedName}()"
            : $"CREATE TRIGGER {name} {when} ON {table.QualifiedName} FOR EACH {scope} EXECUTE FUNCTION {function.Identifier.QualifiedName}()";
        return new CatalogObject(CatalogObject.Name(table.Schema, name),
            probe: $"""
                select pg_get_triggerdef(t.oid) || case t.tgenabled when 'O' then '' else ' -- disabled' end
                  from pg_trigger t where t.tgrelid = to_regclass('{table.QualifiedName}') and t.tgname = '{name}'
                """,
            expected: definition,
            create: definition + ";",
            update: $"DROP TRIGGER IF EXISTS {name} ON {table.QualifiedName};\n{definition};",
            table, function.Identifier);
    }

    [GeneratedRegex("^[a-z_][a-z0-9_]*$")]
    private static partial Regex PlainIdentifier();
}
