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

-- Durable timers: one row per (stream, kind), maintained inline by TimerProjection from the
-- events that schedule or cancel them; scheduled_by_seq is the event that last set the row, so
-- the runner settles only the schedule it fired. retry_at delays a timer whose handler failed.
create table if not exists {schema}.timers (
    stream_id   text not null,
    kind        text not null,
    due_at      timestamptz not null,
    payload     jsonb,
    scheduled_by_seq bigint not null,
    attempts    integer not null default 0,
    last_error  text,
    retry_at    timestamptz,
    primary key (stream_id, kind)
);
create index if not exists timers_due on {schema}.timers (due_at);

-- What each firing did: fired (events appended), nothing (state had moved on) or failed.
create table if not exists {schema}.timer_log (
    id          bigint generated always as identity primary key,
    stream_id   text not null,
    kind        text not null,
    due_at      timestamptz not null,
    scheduled_by_seq bigint not null,
    fired_at    timestamptz not null,
    outcome     text not null check (outcome in ('fired', 'nothing', 'failed')),
    error       text
);
