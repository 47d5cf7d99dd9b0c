-- 0001: streams, events, tamper evidence. {schema} is replaced by the configured schema name.

create table if not exists {schema}.streams (
    id          text primary key,
    type        text not null,
    version     integer not null,
    head_hash   bytea not null,
    created     timestamptz not null,
    updated     timestamptz not null,
    archived    boolean not null default false
);

create table if not exists {schema}.events (
    seq         bigint generated always as identity primary key,
    id          uuid not null unique,
    stream_id   text not null references {schema}.streams(id),
    version     integer not null,
    type        text not null,
    data        jsonb not null,
    metadata    jsonb not null,
    "timestamp" timestamptz not null,
    hash        bytea not null,
    tx_id       xid8 not null default pg_current_xact_id(),
    constraint events_stream_version unique (stream_id, version)
);

-- The async daemon reads in (transaction id, sequence) order.
create index if not exists events_tx_seq on {schema}.events (tx_id, seq);

-- Canonical form of an event, hashed onto the previous hash of its stream. JSON encoding makes
-- the concatenation unambiguous; jsonb's text form is deterministic; the timestamp is taken as
-- microseconds since the epoch so the session's TimeZone cannot change it.
create or replace function {schema}.event_hash(
    prev bytea, stream_id text, version integer, type text, data jsonb, metadata jsonb, ts timestamptz)
returns bytea language sql immutable parallel safe as $$
    select sha256(coalesce(prev, ''::bytea) || convert_to(
        jsonb_build_array(stream_id, version, type, data, metadata,
                          floor(extract(epoch from ts) * 1000000)::bigint)::text, 'UTF8'))
$$;

-- Quick append (Marten's shape): one call per stream checks the expected version under the
-- stream row lock before a single sequence number is drawn, then inserts every event, chaining
-- each hash onto the previous one, and moves the stream head.
-- p_expected: null = any version; 0 = the stream must be new; n = the stream must be at n.
create or replace function {schema}.append_events(
    p_stream text, p_stream_type text, p_expected integer,
    p_ids uuid[], p_types text[], p_data jsonb[], p_metadata jsonb[], p_timestamps timestamptz[])
returns table (out_seq bigint, out_version integer, out_tx xid8, out_hash bytea)
language plpgsql as $$
declare
    v_current integer;
    v_hash bytea;
    v_archived boolean;
    v_now timestamptz := p_timestamps[array_upper(p_timestamps, 1)];
    i integer;
begin
    select s.version, s.head_hash, s.archived into v_current, v_hash, v_archived
      from {schema}.streams s where s.id = p_stream for update;
    if not found then
        if p_expected is not null and p_expected <> 0 then
            raise exception using errcode = 'GE409',
                message = format('stream %s does not exist; expected version %s [actual=0]', p_stream, p_expected);
        end if;
        insert into {schema}.streams (id, type, version, head_hash, created, updated)
        values (p_stream, p_stream_type, 0, ''::bytea, p_timestamps[1], v_now)
        on conflict (id) do nothing;
        if not found then
            raise exception using errcode = 'GE409',
                message = format('stream %s was started concurrently [actual=-1]', p_stream);
        end if;
        v_current := 0;
        v_hash := ''::bytea;
    else
        if p_expected is not null and v_current <> p_expected then
            raise exception using errcode = 'GE409',
                message = format('stream %s is at version %s, expected %s [actual=%s]', p_stream, v_current, p_expected, v_current);
        end if;
        if v_archived then
            raise exception using errcode = 'GE410', message = format('stream %s is archived', p_stream);
        end if;
    end if;

    for i in 1 .. array_length(p_ids, 1) loop
        v_current := v_current + 1;
        v_hash := {schema}.event_hash(v_hash, p_stream, v_current, p_types[i], p_data[i], p_metadata[i], p_timestamps[i]);
        insert into {schema}.events (id, stream_id, version, type, data, metadata, "timestamp", hash)
        values (p_ids[i], p_stream, v_current, p_types[i], p_data[i], p_metadata[i], p_timestamps[i], v_hash)
        returning seq, version, tx_id, hash into out_seq, out_version, out_tx, out_hash;
        return next;
    end loop;

    update {schema}.streams set version = v_current, head_hash = v_hash, updated = v_now
     where id = p_stream;
end
$$;

-- History is immutable: the database refuses to change or remove events for every role.
create or replace function {schema}.refuse_history_change() returns trigger language plpgsql as $$
begin
    raise exception using errcode = 'GE403',
        message = format('%s on %s is refused: events are immutable', tg_op, tg_table_name);
end
$$;

drop trigger if exists events_immutable on {schema}.events;
create trigger events_immutable before update or delete on {schema}.events
    for each row execute function {schema}.refuse_history_change();
drop trigger if exists events_no_truncate on {schema}.events;
create trigger events_no_truncate before truncate on {schema}.events
    for each statement execute function {schema}.refuse_history_change();
drop trigger if exists streams_no_delete on {schema}.streams;
create trigger streams_no_delete before delete on {schema}.streams
    for each row execute function {schema}.refuse_history_change();
drop trigger if exists streams_no_truncate on {schema}.streams;
create trigger streams_no_truncate before truncate on {schema}.streams
    for each statement execute function {schema}.refuse_history_change();
