using System.Net.Sockets;
using Npgsql;

namespace GovEvents.Api.Hosting.Problems;

/// <summary>
/// PostgreSQL out of reach (refused, reset, shutting down, out of connections): requests are answered
/// 503 with Retry-After instead of 500, and the log says so once when the outage begins and once when
/// a request under /api succeeds again, instead of a stack trace per request.
/// </summary>
public sealed class DatabaseOutage(TimeProvider time, ILogger<DatabaseOutage> log, OutageLogQuieting.Flag flag)
{
    public const int RetryAfterSeconds = 5;

    private readonly object _gate = new();
    private DateTimeOffset? _since;
    private int _answered;

    /// <summary>Whether <paramref name="exception"/> (or what it wraps) says the database cannot be reached.</summary>
    public static bool IsUnavailable(Exception exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            switch (e)
            {
                // Connection-level classes: 08 connection exception, 57P0x shutdown or not yet accepting, 53300 too many connections.
                case PostgresException pg:
                    return pg.SqlState.StartsWith("08", StringComparison.Ordinal) || pg.SqlState is "57P01" or "57P02" or "57P03" or "53300";
                case NpgsqlException { InnerException: SocketException or IOException or TimeoutException }:
                    return true;
                case SocketException:
                    return true;
            }
        }
        return false;
    }

    /// <summary>Counts a request answered 503; logs the first of an outage.</summary>
    public void Answered(Exception exception)
    {
        lock (_gate) _answered++;
        Noticed(exception);
    }

    /// <summary>Something found the database out of reach: logged once, at the start of the outage.</summary>
    public void Noticed(Exception exception)
    {
        lock (_gate)
        {
            if (_since is not null) return;
            _since = time.GetUtcNow();
            flag.Ongoing = true;
        }
        log.LogError("PostgreSQL is unreachable ({Reason}); answering 503 until it is back", FirstLine(exception));
    }

    /// <summary>After a request that reached the database: ends an outage, if there was one, and logs it.</summary>
    public void Succeeded()
    {
        DateTimeOffset since;
        int answered;
        lock (_gate)
        {
            if (_since is not { } start) return;
            (since, answered, _since, _answered) = (start, _answered, null, 0);
            flag.Ongoing = false;
        }
        log.LogWarning("PostgreSQL is reachable again after {Seconds:F1} s; {Count} requests were answered 503",
            (time.GetUtcNow() - since).TotalSeconds, answered);
    }

    public bool Ongoing
    {
        get { lock (_gate) return _since is not null; }
    }

    private static string FirstLine(Exception e)
    {
        var innermost = e;
        while (innermost.InnerException is not null) innermost = innermost.InnerException;
        return innermost.Message.Split('\n')[0].Trim();
    }
}

/// <summary>
/// While an outage is noticed, the frameworks' own reports of it (Marten's daemon, Wolverine's agents and
/// durability, Npgsql) are held back below Critical: each retries on its own and would log a stack trace
/// every few seconds; the outage's start and end are said once by <see cref="DatabaseOutage"/>. Every other
/// log line, and theirs outside an outage, passes as configured.
/// </summary>
public static class OutageLogQuieting
{
    private static readonly string[] Frameworks = ["Marten", "Wolverine", "JasperFx", "Npgsql", "Weasel"];

    /// <summary>Whether this host is in a noticed outage: set by <see cref="DatabaseOutage"/>, read by the log filter (no dependencies, so logging may take it).</summary>
    public sealed class Flag
    {
        private volatile bool _ongoing;
        public bool Ongoing { get => _ongoing; set => _ongoing = value; }
    }

    public static ILoggingBuilder QuietFrameworksDuringOutages(this ILoggingBuilder logging)
    {
        logging.Services.AddSingleton<Flag>();
        logging.Services.AddOptions<LoggerFilterOptions>().PostConfigure<Flag>((options, flag) =>
        {
            // Every rule keeps its own level and filter and gains ours; a catch-all first covers categories no rule names.
            var rules = options.Rules.Select(r => new LoggerFilterRule(r.ProviderName, r.CategoryName, r.LogLevel,
                (provider, category, level) => (r.Filter?.Invoke(provider, category, level) ?? true) && Passes(flag, category, level))).ToList();
            options.Rules.Clear();
            options.Rules.Add(new LoggerFilterRule(null, null, null, (_, category, level) => Passes(flag, category, level)));
            foreach (var rule in rules) options.Rules.Add(rule);
        });
        return logging;
    }

    private static bool Passes(Flag flag, string? category, LogLevel level) =>
        level >= LogLevel.Critical || !flag.Ongoing || category is null
        || !Frameworks.Any(f => category.StartsWith(f, StringComparison.Ordinal));
}

public static class DatabaseOutageMiddleware
{
    /// <summary>Ends a recorded outage when a request under /api (not /api/dev) succeeds: it reached the database.</summary>
    public static IApplicationBuilder UseOutageRecovery(this IApplicationBuilder app)
    {
        var outage = app.ApplicationServices.GetRequiredService<DatabaseOutage>();
        return app.Use(async (http, next) =>
        {
            await next(http);
            if (outage.Ongoing && http.Response.StatusCode is >= 200 and < 300
                && http.Request.Path.StartsWithSegments("/api") && !http.Request.Path.StartsWithSegments("/api/dev"))
                outage.Succeeded();
        });
    }
}
