using System.Diagnostics;

namespace GovEvents.Bench.Measure;

/// <summary>One operation of one writer; each writer awaits its operations one after another.</summary>
public delegate Task Operation();

/// <summary>One side of a comparison (raw Npgsql or the store) for one scenario.</summary>
public interface ISide
{
    /// <summary>Prepares what writer <paramref name="writer"/> needs (its streams) and returns its operation.</summary>
    Task<Operation> CreateWriterAsync(int writer, CancellationToken ct);
}

/// <summary>What one timed run of one side produced.</summary>
public sealed record RunResult(long Ops, TimeSpan Elapsed, long[] LatencyTicks, CpuUsage? Cpu = null)
{
    public double OpsPerSecond => Ops / Elapsed.TotalSeconds;
}

public static class Runner
{
    /// <summary>
    /// Runs <paramref name="writers"/> concurrent writers for <paramref name="duration"/>; each
    /// records the latency of every operation. Elapsed runs until the last operation finishes.
    /// With <paramref name="interval"/>, each writer issues one operation per interval on a fixed
    /// schedule (open loop, writers staggered) instead of back to back; an operation that starts late
    /// because the one before it overran counts its latency from its scheduled start, so queueing
    /// shows in the percentiles (no coordinated omission).
    /// </summary>
    public static async Task<RunResult> RunAsync(ISide side, int writers, TimeSpan duration, CpuProbe? probe, CancellationToken ct, TimeSpan? interval = null)
    {
        var operations = new Operation[writers];
        for (var w = 0; w < writers; w++) operations[w] = await side.CreateWriterAsync(w, ct);

        var start = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var clock = new Stopwatch();
        var tasks = operations.Select((op, w) => Task.Run(async () =>
        {
            var latencies = new List<long>(4096);
            await start.Task;
            var scheduled = interval is { } every ? every * w / writers : TimeSpan.Zero;
            while (clock.Elapsed < duration)
            {
                ct.ThrowIfCancellationRequested();
                var t0 = Stopwatch.GetTimestamp();
                if (interval is { } step)
                {
                    var wait = scheduled - clock.Elapsed;
                    if (wait > TimeSpan.Zero)
                    {
                        await Task.Delay(wait, ct);
                        if (clock.Elapsed >= duration) break;
                        t0 = Stopwatch.GetTimestamp(); // on time (the timer's own lateness is not the server's)
                    }
                    else
                        t0 -= (long)(-wait.TotalSeconds * Stopwatch.Frequency); // late: count from the scheduled start
                    scheduled += step;
                }
                await op();
                latencies.Add(Stopwatch.GetTimestamp() - t0);
            }
            return latencies;
        }, ct)).ToArray();

        var cpu = probe is null ? null : await probe.StartAsync(ct);
        clock.Start();
        start.SetResult();
        var perWriter = await Task.WhenAll(tasks);
        clock.Stop();
        var usage = cpu is null ? null : await cpu();
        var all = perWriter.SelectMany(l => l).ToArray();
        return new RunResult(all.Length, clock.Elapsed, all, usage);
    }
}
