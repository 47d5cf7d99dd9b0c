using System.Diagnostics;
using Npgsql;

namespace GovEvents.Bench.Measure;

/// <summary>CPU time spent by this process and by the PostgreSQL backends of one pool during a run.</summary>
public sealed record CpuUsage(TimeSpan Client, TimeSpan? Server);

/// <summary>
/// Reads the CPU time of the bench process and of the server backends whose application_name is
/// the pool's (from /proc, so only when PostgreSQL runs on this machine). CPU per operation is
/// much less disturbed by other load on a shared machine than throughput is.
/// </summary>
public sealed class CpuProbe(string controlConnectionString, string applicationName)
{
    private const double TicksPerSecond = 100; // USER_HZ on Linux

    public async Task<Func<Task<CpuUsage>>> StartAsync(CancellationToken ct)
    {
        var client = Process.GetCurrentProcess().TotalProcessorTime;
        var server = await BackendTicksAsync(ct);
        return async () =>
        {
            var clientAfter = Process.GetCurrentProcess().TotalProcessorTime;
            var serverAfter = await BackendTicksAsync(ct);
            TimeSpan? serverTime = null;
            if (server is not null && serverAfter is not null)
            {
                var ticks = serverAfter.Sum(p => p.Value - server.GetValueOrDefault(p.Key));
                serverTime = TimeSpan.FromSeconds(ticks / TicksPerSecond);
            }
            return new CpuUsage(clientAfter - client, serverTime);
        };
    }

    private async Task<Dictionary<int, long>?> BackendTicksAsync(CancellationToken ct)
    {
        await using var conn = new NpgsqlConnection(controlConnectionString);
        await conn.OpenAsync(ct);
        await using var cmd = new NpgsqlCommand("select pid from pg_stat_activity where application_name = $1", conn);
        cmd.Parameters.Add(new NpgsqlParameter<string> { TypedValue = applicationName });
        var ticks = new Dictionary<int, long>();
        await using var r = await cmd.ExecuteReaderAsync(ct);
        while (await r.ReadAsync(ct))
        {
            var pid = r.GetInt32(0);
            try
            {
                var stat = await File.ReadAllTextAsync($"/proc/{pid}/stat", ct);
                var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
                ticks[pid] = long.Parse(fields[11]) + long.Parse(fields[12]); // utime, stime
            }
            catch (IOException) { return null; }
            catch (UnauthorizedAccessException) { return null; }
        }
        return ticks;
    }
}
