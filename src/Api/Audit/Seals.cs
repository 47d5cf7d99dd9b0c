using System.Text.RegularExpressions;
using GovEvents.Api.Common;
using GovEvents.Api.Hosting.Auth;
using GovEvents.Api.Hosting.Problems;
using GovEvents.Domain.Audit;
using GovEvents.Store;
using GovEvents.Store.TamperEvidence;
using Microsoft.Extensions.Options;
using Npgsql;

namespace GovEvents.Api.Audit;

/// <summary>The "GovEvents:Seal" configuration section: the seal keys, how often to seal, where to export.</summary>
public sealed class SealSettings
{
    public const string Section = "GovEvents:Seal";

    /// <summary>Key id → base64 key of at least 32 bytes. None: sealing is off and the integrity answer says so.</summary>
    public Dictionary<string, string> Keys { get; set; } = [];

    /// <summary>The key that signs new seals; may be left out when there is one key.</summary>
    public string? SigningKeyId { get; set; }

    /// <summary>Seal when the latest seal is this old by the hall clock; 0: only on demand.</summary>
    public double IntervalMinutes { get; set; } = 60;

    /// <summary>A directory every seal is written to, for an archive outside the database to collect.</summary>
    public string? ExportDirectory { get; set; }

    /// <summary>The keys, or null when none is configured (validated at start-up).</summary>
    public SealKeys? ToKeys() => Keys.Count == 0 ? null
        : new SealKeys(SigningKeyId is { Length: > 0 } id ? id : Keys.Keys.Single(), Keys.ToDictionary(k => k.Key, k => Convert.FromBase64String(k.Value)));
}

public sealed partial class SealSettingsValidation : IValidateOptions<SealSettings>
{
    public ValidateOptionsResult Validate(string? name, SealSettings s)
    {
        var failures = new List<string>();
        foreach (var (id, key) in s.Keys)
        {
            if (!KeyId().IsMatch(id)) failures.Add($"{SealSettings.Section}:Keys: key id '{id}' must be 1 to 64 letters, digits, '.', '_' or '-'.");
            var bytes = new byte[(key?.Length ?? 0) * 3 / 4 + 3];
            if (key is null || !Convert.TryFromBase64String(key, bytes, out var length) || length < SealKeys.MinimumKeyBytes)
                failures.Add($"{SealSettings.Section}:Keys:{id} must be base64 of at least {SealKeys.MinimumKeyBytes} bytes.");
        }
        if (s.SigningKeyId is { Length: > 0 } signing && !s.Keys.ContainsKey(signing))
            failures.Add($"{SealSettings.Section}:SigningKeyId '{signing}' names no key of {SealSettings.Section}:Keys.");
        if (s.Keys.Count > 1 && string.IsNullOrEmpty(s.SigningKeyId))
            failures.Add($"{SealSettings.Section}:SigningKeyId is required with more than one key.");
        if (!(s.IntervalMinutes >= 0)) failures.Add($"{SealSettings.Section}:IntervalMinutes may not be negative.");
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    [GeneratedRegex("^[A-Za-z0-9._-]{1,64}$")]
    private static partial Regex KeyId();
}

/// <summary>
/// Sealing as the API does it: seal what came since the latest seal, export every seal not exported yet,
/// verify the history against the seals (and their exported copies).
/// </summary>
public sealed class SealService(IOptions<SealSettings> settings, EventLog log, NpgsqlDataSource db, TimeProvider time)
{
    /// <summary>How long a missing sequence may take to commit before a seal records it as missing (Marten's own stale-gap threshold).</summary>
    public static readonly TimeSpan GapSettle = TimeSpan.FromSeconds(3);

    private readonly Lazy<SealKeys?> _keys = new(() => settings.Value.ToKeys());

    public SealKeys? Keys => _keys.Value;

    public TimeSpan? Interval => settings.Value.IntervalMinutes > 0 ? TimeSpan.FromMinutes(settings.Value.IntervalMinutes) : null;

    private SealArchive? Archive => settings.Value.ExportDirectory is { Length: > 0 } dir ? new SealArchive(dir) : null;

    /// <summary>Seals now (none made when nothing came since the latest seal); a concurrent seal is a <see cref="ConcurrencyException"/>.</summary>
    public async Task<IReadOnlyList<HistorySealed>> SealAsync(CancellationToken ct)
    {
        var keys = Keys ?? throw new InvalidOperationException("No seal key is configured.");
        var made = await new HistorySealer(log, db, keys, time).SealAsync(GapSettle, ct);
        await ExportAsync(ct);
        return made;
    }

    /// <summary>Seals when the latest seal is at least <see cref="Interval"/> old by the hall clock (or newer than now: the clock went back).</summary>
    public async Task SealIfDueAsync(TimeSpan interval, CancellationToken ct)
    {
        var (_, latest, _) = await HistorySealer.LatestAsync(log, ct);
        var age = time.GetUtcNow() - latest?.SealedAt;
        if (age is { } a && a >= TimeSpan.Zero && a < interval) await ExportAsync(ct);
        else await SealAsync(ct);
    }

    /// <summary>Writes the seals the export directory lacks (those another process made included).</summary>
    public async Task ExportAsync(CancellationToken ct)
    {
        if (Archive is not { } archive) return;
        var version = await log.StreamVersionAsync(HistorySeals.StreamId, ct) ?? 0;
        var from = archive.LastNumber() + 1;
        if (from > version) return;
        foreach (var e in await log.FetchStreamAsync(HistorySeals.StreamId, (int)from, version, ct: ct))
            archive.Write((HistorySealed)e.Data);
    }

    public Task<IntegrityReport> VerifyAsync(CancellationToken ct) =>
        new IntegrityVerifier(db, log.Schema, Keys, Keys is null ? null : Archive?.ReadAll()).VerifyAsync(ct);
}

/// <summary>
/// Seals at <see cref="SealSettings.IntervalMinutes"/>: looks twice per interval whether the latest seal (by any
/// process) is an interval old by the hall clock, so that with several processes one seals per interval; two
/// that seal at once append with the same expected version and one of them is refused.
/// </summary>
public sealed class SealPoller(SealService seals, DatabaseOutage outage, ILogger<SealPoller> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (seals.Keys is null || seals.Interval is not { } interval) return;
        using var ticks = new PeriodicTimer(interval / 2);
        do
        {
            try
            {
                await seals.SealIfDueAsync(interval, stoppingToken);
            }
            catch (ConcurrencyException)
            {
                // Another process sealed the same history first.
            }
            catch (Exception e) when (!stoppingToken.IsCancellationRequested && DatabaseOutage.IsUnavailable(e))
            {
                outage.Noticed(e);
            }
            catch (Exception e) when (!stoppingToken.IsCancellationRequested)
            {
                logger.LogWarning(e, "Sealing the history failed; trying again in {Interval}", interval / 2);
            }
        }
        while (await ticks.WaitForNextTickAsync(stoppingToken));
    }
}

public sealed record SealResponse(long Number, long Sequence, long AfterSequence, long ThroughSequence, IReadOnlyList<long> Missing,
    string Fingerprints, string Digest, string KeyId, string Mac, DateTimeOffset SealedAt);

public static class SealEndpoints
{
    public static IServiceCollection AddSeals(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<SealSettings>().Bind(configuration.GetSection(SealSettings.Section)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<SealSettings>, SealSettingsValidation>();
        services.AddSingleton<SealService>();
        services.AddHostedService<SealPoller>();
        return services;
    }

    /// <summary>On demand and for the external archive: make a seal, list the seals (the whole record, MAC included).</summary>
    public static RouteGroupBuilder MapSeals(this RouteGroupBuilder audit)
    {
        audit.MapPost("/seals", Seal);
        audit.MapGet("/seals", List);
        return audit;
    }

    /// <summary>The seals made, none when nothing came since the latest seal.</summary>
    private static async Task<IResult> Seal(SealService seals, EventLog log, CancellationToken ct)
    {
        if (seals.Keys is null) return CommandResults.Conflict("Sealing is off: no key is configured (GovEvents:Seal:Keys).");
        var made = await seals.SealAsync(ct);
        if (made.Count == 0) return Results.Ok(new List<SealResponse>());
        var events = await log.FetchStreamAsync(HistorySeals.StreamId, (int)made[0].Number, (int)made[^1].Number, ct: ct);
        return Results.Ok(events.Select(ToResponse).ToList());
    }

    private static async Task<IResult> List(long? afterNumber, int? limit, EventLog log, CancellationToken ct)
    {
        var errors = new FieldErrors().Require(afterNumber is null or (>= 0 and < int.MaxValue), "afterNumber", "0 or more.")
            .Require(limit is null or (>= 1 and <= 1000), "limit", "1 to 1000.");
        if (errors.Any) return errors.Problem();
        var from = (int)(afterNumber ?? 0) + 1;
        var events = await log.FetchStreamAsync(HistorySeals.StreamId, from, (int)Math.Min(int.MaxValue, (long)from + (limit ?? 100) - 1), ct: ct);
        return Results.Ok(events.Select(ToResponse).ToList());
    }

    private static SealResponse ToResponse(StoredEvent e) => e.Data is HistorySealed s
        ? new(s.Number, e.Sequence, s.AfterSequence, s.ThroughSequence, s.Missing, s.Fingerprints, s.Digest, s.KeyId, s.Mac, s.SealedAt)
        : throw new InvalidOperationException($"Event {e.Sequence} of {HistorySeals.StreamId} is no seal.");
}
