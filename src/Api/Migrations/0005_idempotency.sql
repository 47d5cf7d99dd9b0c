-- 0005 (API): responses to POSTs sent with an Idempotency-Key. A row is claimed (inserted) before
-- the request runs, so concurrent duplicates cannot both execute, and completed with the response
-- that later retries replay.

create table if not exists {schema}.idempotency_keys (
    subject       text not null,
    key           text not null,
    method        text not null,
    path          text not null,
    request_hash  bytea not null,
    claimed_at    timestamptz not null default now(),
    completed_at  timestamptz,
    status        integer,
    content_type  text,
    location      text,
    etag          text,
    body          bytea,
    primary key (subject, key)
);
