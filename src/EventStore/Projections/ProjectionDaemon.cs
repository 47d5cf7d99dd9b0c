using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace GovEvents.EventStore;

/// <summary>
/// Runs async projections (what Marten's async daemon does). Each projection is led by exactly one
/// node: a session advisory lock per projection, held on one long-lived connection per daemon that
/// also LISTENs for appends; other nodes retry the locks every <see cref="ProjectionDaemonOptions.LeadershipInterval"/>,
/// so leadership moves when a node dies and its connection closes. The leader reads only events
/// of finished transactions, in (transaction id, sequence) order, and commits each batch with its
/// checkpoint; it wakes on local appends, on NOTIFY, or by polling.
/// </summary>
public sealed class ProjectionDaemon : IAsyncDisposable
{
    private static readonly TimeSpan CaughtUpPoll = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan MaxErrorBackoff = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan BlockedRetry = TimeSpan.FromMilliseconds(50);

    private readonly PgEventStore _store;
    private readonly ProjectionDaemonOptions _options;
    private readonly ILogger _logger;
    private readonly ProjectionStorage _storage;
    private readonly IReadOnlyList<ProjectionRunner> _runners;
    private readonly string[] _names;
    private readonly ConcurrentDictionary<string, bool> _leading = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _lifecycle = new(1, 1);
    private TaskCompletionSource _wake = NewSignal();
    private TaskCompletionSource _progress = NewSignal();
    private CancellationTokenSource? _stop;
    private Task? _leadership;

    public ProjectionDaemon(PgEventStore store, IEnumerable<IProjection> projections, ProjectionDaemonOptions? options = null, ILogger<ProjectionDaemon>? logger = null)
    {
        _store = store;
        _options = options ?? new ProjectionDaemonOptions();
        _options.Validate();
        _logger = (ILogger?)logger ?? NullLogger.Instance;
        _storage = new ProjectionStorage(store);
        _runners = projections.Select(p => new ProjectionRunner(p, new ProjectionNames(store.Schema, p), _storage, _options, _logger)).ToList();
        var duplicate = _runners.GroupBy(r => r.Name).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null) throw new ArgumentException($"Two projections are named {duplicate.Key}.");
        _names = _runners.Select(r => r.Name).ToArray();
    }

    /// <summary>The projections this daemon currently leads (processes).</summary>
    public IReadOnlyCollection<string> LeadingProjections => _leading.Keys.ToArray();

    /// <summary>Creates the tables and checkpoints, then leads and runs projections in the background.</summary>
    public async Task StartAsync(CancellationToken ct)
    {
        await _lifecycle.WaitAsync(ct);
        try
        {
            if (_stop is not null) throw new InvalidOperationException("The projection daemon is already running.");
            await EnsureTablesAsync(ct);
            await using (var conn = await _store.DataSource.OpenConnectionAsync(ct))
                foreach (var runner in _runners)
                    await _storage.EnsureCheckpointAsync(conn, runner.Name, ct);
            _stop = new CancellationTokenSource();
            var stop = _stop.Token;
            _leadership = Task.Run(() => LeadAsync(stop), CancellationToken.None);
        }
        finally
        {
            _lifecycle.Release();
        }
    }

    /// <summary>Stops processing and gives up leadership, so another node takes over at its next try.</summary>
    public async Task StopAsync()
    {
        await _lifecycle.WaitAsync();
        try
        {
            if (_stop is null) return;
            await _stop.CancelAsync();
            await _leadership!.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            _stop.Dispose();
            _stop = null;
            _leadership = null;
        }
        finally
        {
            _lifecycle.Release();
        }
    }

    /// <summary>
    /// Creates the live tables of these projections that do not exist yet (idempotent, safe across
    /// nodes). Touches no checkpoint, so it also serves for inline projections.
    /// </summary>
    public async Task EnsureTablesAsync(CancellationToken ct)
    {
        await using var conn = await _store.DataSource.OpenConnectionAsync(ct);
        foreach (var runner in _runners)
            await ProjectionTables.EnsureLiveAsync(conn, runner.Names, ct);
    }

    public Task<IReadOnlyList<ProjectionStatus>> StatusAsync(CancellationToken ct) => _storage.StatusAsync(_names, ct);

    /// <summary>
    /// Rebuilds a projection into shadow tables and swaps them in atomically; readers see the old
    /// tables until then. Progress shows in <see cref="StatusAsync"/>. Restarts a faulted projection.
    /// Works on any node, whether or not this daemon was started.
    /// </summary>
    public async Task RebuildAsync(string name, CancellationToken ct)
    {
        var runner = Runner(name);
        try
        {
            await new ProjectionRebuilder(runner, _storage, _options, _logger).RebuildAsync(ct);
        }
        finally
        {
            Wake();
            SignalProgress();
        }
        await _storage.NotifyAsync(ct);
    }

    /// <summary>Restarts a faulted projection at the event that failed.</summary>
    public async Task ResumeAsync(string name, CancellationToken ct)
    {
        Runner(name);
        if (await _storage.ResumeAsync(name, ct))
            _logger.LogInformation("Projection {Projection} resumed", name);
        Wake();
        await _storage.NotifyAsync(ct);
    }

    /// <summary>
    /// True once every projection of this daemon has processed every committed event with a
    /// sequence up to the head as of the call; false after <paramref name="timeout"/>.
    /// </summary>
    public async Task<bool> WaitForCaughtUpAsync(TimeSpan timeout, CancellationToken ct)
    {
        var clock = Stopwatch.StartNew();
        if (_names.Length == 0) return true;
        var head = await _storage.HeadAsync(ct);
        while (true)
        {
            var progressed = Volatile.Read(ref _progress).Task;
            if (await _storage.BehindAsync(_names, head, ct) == 0) return true;
            var left = timeout - clock.Elapsed;
            if (left <= TimeSpan.Zero) return false;
            await WaitAnyAsync(progressed, progressed, left < CaughtUpPoll ? left : CaughtUpPoll, ct);
        }
    }

    public async ValueTask DisposeAsync() => await StopAsync();

    // ---- leadership ------------------------------------------------------------------------------

    private async Task LeadAsync(CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            var loops = new Dictionary<string, (Task Loop, CancellationTokenSource Stop)>();
            NpgsqlConnection? conn = null;
            try
            {
                // Not from the pool: closing it must end the session, and with it every lock it holds,
                // even when the explicit release below cannot run.
                conn = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(_store.Options.ConnectionString) { Pooling = false }.ConnectionString);
                await conn.OpenAsync(stop);
                _logger.LogDebug("The projection daemon opened its leadership connection (backend {Pid})", conn.ProcessID);
                conn.Notification += OnNotification;
                await using (var listen = new NpgsqlCommand($"listen \"{_store.Notifier.Channel}\"", conn))
                    await listen.ExecuteNonQueryAsync(stop);
                while (!stop.IsCancellationRequested)
                {
                    // One round trip tries every lock not held yet; it also proves the connection
                    // (and so the locks already held) is still alive.
                    foreach (var runner in await TryLeadAsync(conn, _runners.Where(r => !loops.ContainsKey(r.Name)), stop))
                    {
                        _logger.LogInformation("This node now leads projection {Projection}", runner.Name);
                        var loopStop = CancellationTokenSource.CreateLinkedTokenSource(stop);
                        loops[runner.Name] = (Task.Run(() => RunLoopAsync(runner, loopStop.Token), CancellationToken.None), loopStop);
                        _leading[runner.Name] = true;
                    }
                    await ListenAsync(conn, _options.LeadershipInterval, stop);
                }
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
            }
            catch (Exception ex)
            {
                _logger.LogWarning(ex, "The projection daemon lost its leadership connection; it gives up its projections and retries");
            }
            finally
            {
                await ReleaseAsync(conn, loops);
            }
            if (!stop.IsCancellationRequested)
                await Task.Delay(_options.LeadershipInterval, stop).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
    }

    private async Task<List<ProjectionRunner>> TryLeadAsync(NpgsqlConnection conn, IEnumerable<ProjectionRunner> candidates, CancellationToken ct)
    {
        var byKey = candidates.ToDictionary(r => r.Names.LeadershipKey);
        await using var cmd = new NpgsqlCommand("select k from unnest($1::text[]) k where pg_try_advisory_lock(hashtextextended(k, 0))", conn);
        cmd.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = byKey.Keys.ToArray() });
        var won = new List<ProjectionRunner>();
        await using var r = await cmd.ExecuteReaderAsync(ct);
        while (await r.ReadAsync(ct)) won.Add(byKey[r.GetString(0)]);
        return won;
    }

    /// <summary>Receives NOTIFYs (each wakes the loops) until <paramref name="interval"/> has passed.</summary>
    private static async Task ListenAsync(NpgsqlConnection conn, TimeSpan interval, CancellationToken ct)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            // Whole milliseconds, at least one: Npgsql takes a timeout of 0 as "wait forever".
            var left = (int)Math.Ceiling((interval - clock.Elapsed).TotalMilliseconds);
            if (left <= 0) return;
            await conn.WaitAsync(left, ct);
        }
    }

    private void OnNotification(object sender, NpgsqlNotificationEventArgs e) => Wake();

    /// <summary>Stops the loops first, then lets the locks go: never two leaders processing at once.</summary>
    private async Task ReleaseAsync(NpgsqlConnection? conn, Dictionary<string, (Task Loop, CancellationTokenSource Stop)> loops)
    {
        foreach (var (_, (_, loopStop)) in loops) await loopStop.CancelAsync();
        foreach (var (name, (loop, loopStop)) in loops)
        {
            await loop.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            loopStop.Dispose();
            _leading.TryRemove(name, out _);
        }
        if (conn is null) return;
        conn.Notification -= OnNotification;
        try
        {
            // Release explicitly so that the other nodes need not wait for the session to end.
            if (conn.State == System.Data.ConnectionState.Open)
            {
                await using var cmd = new NpgsqlCommand("select pg_advisory_unlock_all(); unlisten *", conn);
                await cmd.ExecuteNonQueryAsync(CancellationToken.None);
            }
        }
        catch (Exception ex)
        {
            _logger.LogDebug(ex, "Releasing the leadership locks failed; closing the connection releases them");
        }
        await conn.DisposeAsync();
    }

    // ---- processing ------------------------------------------------------------------------------

    private async Task RunLoopAsync(ProjectionRunner runner, CancellationToken ct)
    {
        var failures = 0;
        var previous = RunOutcome.Idle;
        while (!ct.IsCancellationRequested)
        {
            // Taken before the batch, so a signal that arrives while it runs is not lost.
            var wake = Volatile.Read(ref _wake).Task;
            var appended = _store.Notifier.NextAppend;
            RunOutcome outcome;
            try
            {
                outcome = await runner.RunOnceAsync(SignalProgress, ct);
                failures = 0;
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                break;
            }
            catch (Exception ex)
            {
                failures++;
                _logger.LogWarning(ex, "Projection {Projection} could not process a batch (attempt {Attempt}); it will retry", runner.Name, failures);
                var backoff = _options.PollInterval * failures;
                await Task.Delay(backoff < MaxErrorBackoff ? backoff : MaxErrorBackoff, ct).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
                continue;
            }
            if (outcome == RunOutcome.Blocked && previous != RunOutcome.Blocked)
                _logger.LogDebug("Projection {Projection} waits for an older transaction still in flight", runner.Name);
            previous = outcome;
            if (outcome == RunOutcome.More) continue;
            var pause = outcome == RunOutcome.Blocked && BlockedRetry < _options.PollInterval ? BlockedRetry : _options.PollInterval;
            await WaitAnyAsync(wake, appended, pause, ct);
        }
    }

    private ProjectionRunner Runner(string name) =>
        _runners.FirstOrDefault(r => r.Name == name) ?? throw new ArgumentException($"No projection named {name} runs in this daemon.", nameof(name));

    private void Wake() => Interlocked.Exchange(ref _wake, NewSignal()).TrySetResult();

    private void SignalProgress() => Interlocked.Exchange(ref _progress, NewSignal()).TrySetResult();

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Waits for either task or the timeout, without leaving a timer behind.</summary>
    private static async Task WaitAnyAsync(Task a, Task b, TimeSpan timeout, CancellationToken ct)
    {
        using var timer = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timer.CancelAfter(timeout);
        await Task.WhenAny(a, b, Task.Delay(Timeout.Infinite, timer.Token));
    }
}
