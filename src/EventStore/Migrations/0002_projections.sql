-- 0002: projection checkpoints, dead letters, durable timers.

create table if not exists {schema}.projection_progress (
    name            text primary key,
    last_tx         xid8 not null default '0'::xid8,
    last_seq        bigint not null default 0,
    status          text not null default 'running',
    error           text,
    failed_seq      bigint,
    rebuild_total   bigint,
    rebuild_done    bigint,
    updated_at      timestamptz not null default now()
);

create table if not exists {schema}.dead_letters (
    id          bigint generated always as identity primary key,
    projection  text not null,
    seq         bigint not null,
    event_id    uuid not null,
    stream_id   text not null,
    type        text not null,
    error       text not null,
    at          timestamptz not null default now()
);

create table if not exists {schema}.timers (
    stream_id   text not null,
    kind        text not null,
    due_at      timestamptz not null,
    payload     jsonb,
    scheduled_by_seq bigint not null,
    attempts    integer not null default 0,
    last_error  text,
    primary key (stream_id, kind)
);
create index if not exists timers_due on {schema}.timers (due_at);

create table if not exists {schema}.timer_log (
    id          bigint generated always as identity primary key,
    stream_id   text not null,
    kind        text not null,
    due_at      timestamptz not null,
    fired_at    timestamptz not null,
    outcome     text not null
);
