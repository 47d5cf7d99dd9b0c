using Npgsql;
using NpgsqlTypes;

namespace GovEvents.EventStore.Tests.Projections;

/// <summary>Writes one row per event (which node applied it), so tests can count applications.</summary>
public sealed class RecordingProjection(string name, string node = "node") : IProjection
{
    private int _poisonAttempts;

    public string Name => name;

    public IReadOnlyList<ProjectionTable> Tables { get; } =
        [new(name, "create table {table} (seq bigint not null, stream_id text not null, node text not null)")];

    /// <summary>Events this projection cannot handle (it throws on them while this says so).</summary>
    public Func<StoredEvent, bool> Poison { get; set; } = _ => false;

    public int PoisonAttempts => Volatile.Read(ref _poisonAttempts);

    public async Task ApplyAsync(IReadOnlyList<StoredEvent> events, ProjectionContext context, CancellationToken ct)
    {
        foreach (var e in events.Where(Poison))
        {
            Interlocked.Increment(ref _poisonAttempts);
            throw new InvalidOperationException($"cannot project event {e.Sequence}");
        }
        await using var cmd = context.Command($"insert into {context.Table(name)} (seq, stream_id, node) select s, id, $3 from unnest($1::bigint[], $2::text[]) as u(s, id)");
        cmd.Parameters.Add(new NpgsqlParameter<long[]> { TypedValue = events.Select(e => e.Sequence).ToArray() });
        cmd.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = events.Select(e => e.StreamId).ToArray() });
        cmd.Parameters.Add(new NpgsqlParameter<string> { TypedValue = node });
        await cmd.ExecuteNonQueryAsync(ct);
    }

    public static async Task<List<(long Seq, string StreamId, string Node)>> RowsAsync(NpgsqlDataSource ds, string schema, string name)
    {
        var rows = new List<(long, string, string)>();
        await using var cmd = ds.CreateCommand($"select seq, stream_id, node from {schema}.{name} order by seq");
        await using var r = await cmd.ExecuteReaderAsync();
        while (await r.ReadAsync()) rows.Add((r.GetInt64(0), r.GetString(1), r.GetString(2)));
        return rows;
    }
}

public sealed record AccountDoc(string Id, string Owner, decimal Balance, int Deposits, bool Closed, DateTimeOffset LastChange);

/// <summary>One document per account stream; a closed account with nothing on it is deleted.</summary>
public sealed class AccountDocuments(string name = "account_docs") : DocumentProjection<AccountDoc>(name)
{
    protected override AccountDoc? Apply(AccountDoc? current, StoredEvent e) => (current, e.Data) switch
    {
        (null, AccountOpened o) => new AccountDoc(o.AccountId, o.Owner, 0, 0, false, o.OpenedAt),
        ({ } d, MoneyDeposited m) => d with { Balance = d.Balance + m.Amount, Deposits = d.Deposits + 1, LastChange = m.DepositedAt },
        ({ Balance: 0 }, AccountClosed) => null,
        ({ } d, AccountClosed c) => d with { Closed = true, LastChange = c.ClosedAt },
        _ => current,
    };
}

/// <summary>A mutable document that Apply changes in place, and that throws on a deposit of 666 (after changing it).</summary>
public sealed class MutableAccount
{
    public string Id { get; set; } = "";
    public decimal Balance { get; set; }
    public int Deposits { get; set; }
}

public sealed class MutableAccounts(string name) : DocumentProjection<MutableAccount>(name)
{
    protected override MutableAccount? Apply(MutableAccount? current, StoredEvent e)
    {
        switch (e.Data)
        {
            case AccountOpened o:
                return new MutableAccount { Id = o.AccountId };
            case MoneyDeposited d when current is not null:
                current.Balance += d.Amount;
                current.Deposits++;
                if (d.Amount == 666) throw new InvalidOperationException("the devil's deposit");
                return current;
            default:
                return current;
        }
    }
}

/// <summary>
/// Wraps a projection so a test can hold a rebuild between pages: while writing to shadow tables,
/// every page after the first waits for <see cref="Release"/>.
/// </summary>
public sealed class GatedProjection(IProjection inner) : IProjection
{
    private readonly SemaphoreSlim _gate = new(0, int.MaxValue);
    private readonly TaskCompletionSource _held = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _shadowPages;

    public string Name => inner.Name;
    public IReadOnlyList<ProjectionTable> Tables => inner.Tables;

    /// <summary>Completes when a rebuild is waiting at the gate.</summary>
    public Task Held => _held.Task;

    public void Release() => _gate.Release(int.MaxValue / 2);

    public async Task ApplyAsync(IReadOnlyList<StoredEvent> events, ProjectionContext context, CancellationToken ct)
    {
        var shadow = context.Table(inner.Name) != ProjectionContext.LiveTable(context.Schema, inner.Name);
        if (shadow && Interlocked.Increment(ref _shadowPages) > 1)
        {
            _held.TrySetResult();
            await _gate.WaitAsync(ct);
        }
        await inner.ApplyAsync(events, context, ct);
    }
}

public static class ProjectionTestKit
{
    public static ProjectionDaemonOptions FastOptions() => new()
    {
        PollInterval = TimeSpan.FromMilliseconds(100),
        LeadershipInterval = TimeSpan.FromMilliseconds(200),
        RetryDelay = TimeSpan.FromMilliseconds(5),
        MaxRetries = 2,
    };

    public static string NewId(string prefix = "acc") => $"{prefix}-{Guid.NewGuid():N}";

    /// <summary>Polls until <paramref name="condition"/> holds or thirty seconds pass (a loaded CI machine is slow).</summary>
    public static async Task<T> EventuallyAsync<T>(Func<Task<T>> read, Func<T, bool> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            var value = await read();
            if (condition(value) || DateTime.UtcNow > deadline) return value;
            await Task.Delay(25);
        }
    }

    public static async Task<long> ScalarAsync(NpgsqlDataSource ds, string sql)
    {
        await using var cmd = ds.CreateCommand(sql);
        return Convert.ToInt64(await cmd.ExecuteScalarAsync());
    }

    public static NpgsqlParameter<string> Text(string value) => new() { TypedValue = value, NpgsqlDbType = NpgsqlDbType.Text };
}
