using Npgsql;

namespace GovEvents.EventStore;

/// <summary>
/// Wakes daemons after appends. In-process waiters are released at once; other processes get a
/// NOTIFY, coalesced to at most one per interval and sent off the append path: a NOTIFY inside
/// the appending transaction would serialise every commit on PostgreSQL's notify queue lock.
/// </summary>
public sealed class AppendNotifier : IAsyncDisposable
{
    private static readonly TimeSpan Coalesce = TimeSpan.FromMilliseconds(20);
    private readonly NpgsqlDataSource _dataSource;
    private readonly string _channel;
    private readonly bool _notifyRemote;
    private readonly SemaphoreSlim _remotePending = new(0, 1);
    private readonly CancellationTokenSource _stop = new();
    private readonly Task? _sender;
    private TaskCompletionSource _local = new(TaskCreationOptions.RunContinuationsAsynchronously);

    internal AppendNotifier(NpgsqlDataSource dataSource, string channel, bool notifyRemote)
    {
        _dataSource = dataSource;
        _channel = channel;
        _notifyRemote = notifyRemote;
        if (notifyRemote) _sender = Task.Run(SendLoop);
    }

    public string Channel => _channel;

    /// <summary>A task that completes at the next append in this process.</summary>
    public Task NextAppend => Volatile.Read(ref _local).Task;

    public void Signal()
    {
        Interlocked.Exchange(ref _local, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();
        if (_notifyRemote && _remotePending.CurrentCount == 0)
        {
            try { _remotePending.Release(); } catch (SemaphoreFullException) { }
        }
    }

    private async Task SendLoop()
    {
        while (!_stop.IsCancellationRequested)
        {
            try
            {
                await _remotePending.WaitAsync(_stop.Token);
                await Task.Delay(Coalesce, _stop.Token);
                await using var cmd = _dataSource.CreateCommand("select pg_notify($1, '')");
                cmd.Parameters.Add(new NpgsqlParameter<string> { TypedValue = _channel });
                await cmd.ExecuteNonQueryAsync(_stop.Token);
            }
            catch (OperationCanceledException) { break; }
            catch (Exception) { /* polling is the fallback; a lost NOTIFY only delays a daemon */ }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        if (_sender is not null) await _sender.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        _stop.Dispose();
    }
}
