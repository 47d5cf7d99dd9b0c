using GovEvents.Testing;
using Npgsql;

namespace GovEvents.EventStore.Tests.Timers;

public sealed record TimerRow(DateTimeOffset DueAt, string? PayloadJson, long ScheduledBySeq, int Attempts, string? LastError, DateTimeOffset? RetryAt);

public sealed record TimerLogRow(string Kind, string Outcome, long ScheduledBySeq, string? Error);

/// <summary>
/// A migrated store (application role, as in production) whose appends maintain the timers inline.
/// <see cref="NewStore"/> opens another store over the same database, like a second API process.
/// </summary>
public sealed class TimerFixture : TestDatabase
{
    public TimerFixture()
    {
        AppConnectionString = CreateLoginRole("app");
        Time = new ManualTimeProvider(new DateTimeOffset(2026, 3, 2, 9, 0, 0, TimeSpan.FromHours(8)));
        new SchemaMigrator(NewOptions(), ConnectionString).MigrateAsync().GetAwaiter().GetResult();
        Store = NewStore();
        Admin = NpgsqlDataSource.Create(ConnectionString);
    }

    public string AppConnectionString { get; }
    public ManualTimeProvider Time { get; }
    public PgEventStore Store { get; }
    /// <summary>Superuser access, to inspect and reset the timer tables.</summary>
    public NpgsqlDataSource Admin { get; }
    public string Schema => Store.Schema;

    public EventStoreOptions NewOptions()
    {
        var options = new EventStoreOptions { ConnectionString = AppConnectionString, ApplicationRole = $"{Name}_app" };
        ApplicationTimers.RegisterTypes(options.Types);
        options.InlineProjections.Add(new TimerProjection(ApplicationTimers.Map(new TimerRegistry())));
        return options;
    }

    public PgEventStore NewStore() => new(NewOptions(), Time);

    /// <summary>The mappings plus the given handlers, as a runner's registry.</summary>
    public static TimerRegistry Registry(ITimerHandler? deemed = null, ITimerHandler? reminder = null)
    {
        var registry = ApplicationTimers.Map(new TimerRegistry());
        if (deemed is not null) registry.Handle(ApplicationTimers.DeemedAnswer, deemed);
        if (reminder is not null) registry.Handle(ApplicationTimers.Reminder, reminder);
        return registry;
    }

    /// <summary>Forgets the timers of earlier tests in this class.</summary>
    public async Task ResetAsync()
    {
        await using var cmd = Admin.CreateCommand($"truncate {Schema}.timers, {Schema}.timer_log");
        await cmd.ExecuteNonQueryAsync();
    }

    public async Task<TimerRow?> TimerAsync(string streamId, string kind)
    {
        await using var cmd = Admin.CreateCommand(
            $"select due_at, payload::text, scheduled_by_seq, attempts, last_error, retry_at from {Schema}.timers where stream_id = $1 and kind = $2");
        cmd.Parameters.AddWithValue(streamId);
        cmd.Parameters.AddWithValue(kind);
        await using var r = await cmd.ExecuteReaderAsync();
        if (!await r.ReadAsync()) return null;
        return new TimerRow(r.GetFieldValue<DateTimeOffset>(0), r.IsDBNull(1) ? null : r.GetString(1), r.GetInt64(2), r.GetInt32(3),
            r.IsDBNull(4) ? null : r.GetString(4), r.IsDBNull(5) ? null : r.GetFieldValue<DateTimeOffset>(5));
    }

    public async Task<List<TimerLogRow>> LogAsync(string streamId)
    {
        await using var cmd = Admin.CreateCommand(
            $"select kind, outcome, scheduled_by_seq, error from {Schema}.timer_log where stream_id = $1 order by id");
        cmd.Parameters.AddWithValue(streamId);
        var rows = new List<TimerLogRow>();
        await using var r = await cmd.ExecuteReaderAsync();
        while (await r.ReadAsync()) rows.Add(new TimerLogRow(r.GetString(0), r.GetString(1), r.GetInt64(2), r.IsDBNull(3) ? null : r.GetString(3)));
        return rows;
    }

    /// <summary>Starts an application stream, its answer due <paramref name="dueIn"/> from now.</summary>
    public async Task<(string Id, StoredEvent Submitted)> SubmitAsync(TimeSpan dueIn)
    {
        var id = "app-" + Guid.NewGuid().ToString("N");
        var result = await Store.StartStreamAsync(id, ApplicationTimers.StreamType, [new Submitted(id, Time.GetUtcNow() + dueIn)]);
        return (id, result.Events[0]);
    }

    public override async ValueTask DisposeAsync()
    {
        await Store.DisposeAsync();
        await Admin.DisposeAsync();
        await base.DisposeAsync();
    }
}
