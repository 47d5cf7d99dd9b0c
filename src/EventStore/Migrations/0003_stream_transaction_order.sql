-- 0003: every stream's events follow transaction-id order.
--
-- The projection daemon reads the feed in (tx_id, seq) order. A transaction that took its id early
-- (it touched another stream first, or claimed a timer) and appends to a stream after a younger
-- transaction committed to it would put the stream's later version before its earlier one in that
-- order, and a document fold would apply them backwards. Such an append is refused as a concurrency
-- conflict (retry in a new transaction, which gets a newer id); a stream's versions then always
-- come in feed order. The check runs once per append call, when the stream head moves.

alter table {schema}.streams add column if not exists last_tx xid8;

create or replace function {schema}.keep_stream_transaction_order() returns trigger language plpgsql as $$
declare
    v_tx xid8 := pg_current_xact_id();
begin
    if old.last_tx is not null and old.last_tx > v_tx then
        raise exception using errcode = 'GE409',
            message = format('stream %s was appended to by a younger transaction since this one began; retry in a new transaction', old.id);
    end if;
    new.last_tx := v_tx;
    return new;
end
$$;

drop trigger if exists streams_transaction_order on {schema}.streams;
create trigger streams_transaction_order before update of version on {schema}.streams
    for each row when (new.version is distinct from old.version)
    execute function {schema}.keep_stream_transaction_order();
