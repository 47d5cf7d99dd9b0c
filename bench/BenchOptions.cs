namespace GovEvents.Bench;

/// <summary>The command line; see <see cref="Usage"/> and bench/README.md.</summary>
public sealed record BenchOptions
{
    public const string DefaultAdmin = "Host=127.0.0.1;Port=55432;Username=postgres;Database=postgres";

    public string Admin { get; init; } = Environment.GetEnvironmentVariable("GOVEVENTS_BENCH_ADMIN_DB") is { Length: > 0 } env ? env : LocalClusterAdmin();

    /// <summary>
    /// The superuser of the project's local cluster (scripts/pg.sh): its password is generated into
    /// .data/secrets/postgres.password of the work tree this runs in.
    /// </summary>
    private static string LocalClusterAdmin()
    {
        for (var dir = new DirectoryInfo(Environment.CurrentDirectory); dir is not null; dir = dir.Parent)
        {
            if (!File.Exists(Path.Combine(dir.FullName, "GovEvents.sln"))) continue;
            var secret = Path.Combine(dir.FullName, ".data", "secrets", "postgres.password");
            return File.Exists(secret) ? $"{DefaultAdmin};Password={File.ReadAllText(secret).Trim()}" : DefaultAdmin;
        }
        return DefaultAdmin;
    }
    public bool Quick { get; init; }
    /// <summary>Measured seconds per side, per scenario, per writer count (split over the rounds).</summary>
    public double Seconds { get; init; } = 10;
    public int Rounds { get; init; } = 5;
    public int[] Writers { get; init; } = [1, 16];
    /// <summary>Writers of the lever rows (each lever compares two GovEvents stores).</summary>
    public int LeverWriters { get; init; } = 16;
    /// <summary>Concurrent HTTP clients of the command path.</summary>
    public int HttpClients { get; init; } = 16;
    /// <summary>--rebuild-variants default,batch,...: the daemon configurations to measure (all by default).</summary>
    public string[]? RebuildVariants { get; init; }
    public int RebuildEvents { get; init; } = 200_000;
    public int RebuildRounds { get; init; } = 3;
    public int RebuildPage { get; init; } = 5_000;
    public string? Out { get; init; }
    public bool Keep { get; init; }
    /// <summary>Raw baselines prepare their statements, as the store does; --raw-unprepared shows plain unprepared usage.</summary>
    public bool RawPrepared { get; init; } = true;
    /// <summary>--only start,append,aggregate,levers,http,rebuild: the parts to run (all by default).</summary>
    public string[]? Only { get; init; }

    public bool Runs(string part) => Only is null || Only.Any(p => part.StartsWith(p, StringComparison.Ordinal));
    /// <summary>Names from <see cref="Experiments"/> applied to the benchmark database after migrating.</summary>
    public string[] Experiments { get; init; } = [];
    /// <summary>--profile start|append|aggregate:raw|store:writers runs one side alone (no report), for a profiler.</summary>
    public (string Scenario, bool Store, int Writers)? Profile { get; init; }

    public TimeSpan Warmup => TimeSpan.FromSeconds(Quick ? 0.5 : 1);

    public const string Usage =
        "usage: bench [--quick] [--seconds N] [--rounds N] [--writers 1,16] [--lever-writers N] [--http-clients N] " +
        "[--only start,append,aggregate,levers,http,rebuild] [--rebuild-events N] [--rebuild-rounds N] [--rebuild-page N] " +
        "[--rebuild-variants default,batch,flush,cache,optimized] [--raw-unprepared] [--experiment NAME] " +
        "[--profile start|append|aggregate:raw|store:writers] [--admin \"<npgsql conn>\"] [--out file] [--keep]";

    public static BenchOptions Parse(string[] args)
    {
        var quick = args.Contains("--quick");
        var o = quick
            ? new BenchOptions { Quick = true, Seconds = 2, Rounds = 2, RebuildEvents = 20_000, RebuildRounds = 2 }
            : new BenchOptions();
        for (var i = 0; i < args.Length; i++)
        {
            string Next() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value");
            o = args[i] switch
            {
                "--quick" => o,
                "--keep" => o with { Keep = true },
                "--raw-unprepared" => o with { RawPrepared = false },
                "--admin" => o with { Admin = Next() },
                "--seconds" => o with { Seconds = double.Parse(Next(), System.Globalization.CultureInfo.InvariantCulture) },
                "--rounds" => o with { Rounds = int.Parse(Next()) },
                "--writers" => o with { Writers = Next().Split(',').Select(int.Parse).ToArray() },
                "--lever-writers" => o with { LeverWriters = int.Parse(Next()) },
                "--http-clients" => o with { HttpClients = int.Parse(Next()) },
                "--rebuild-variants" => o with { RebuildVariants = Next().Split(',') },
                "--rebuild-events" => o with { RebuildEvents = int.Parse(Next()) },
                "--rebuild-rounds" => o with { RebuildRounds = int.Parse(Next()) },
                "--rebuild-page" => o with { RebuildPage = int.Parse(Next()) },
                "--out" => o with { Out = Next() },
                "--only" => o with { Only = Next().Split(',') },
                "--experiment" => o with { Experiments = [.. o.Experiments, Next()] },
                "--profile" => Next().Split(':') is [var sc, var side, var w]
                    ? o with { Profile = (sc, side == "store", int.Parse(w)) }
                    : throw new ArgumentException("--profile start|append|aggregate:raw|store:writers"),
                _ => throw new ArgumentException($"unknown argument {args[i]}"),
            };
        }
        if (o.Experiments.FirstOrDefault(e => !Bench.Experiments.All.ContainsKey(e)) is { } unknown)
            throw new ArgumentException($"unknown experiment {unknown}; known: {string.Join(", ", Bench.Experiments.All.Keys)}");
        if (o.Rounds < 1 || o.Seconds <= 0 || o.RebuildEvents < 20) throw new ArgumentException("rounds ≥ 1, seconds > 0, rebuild-events ≥ 20");
        return o;
    }

    /// <summary>bench/results/critter-stack.md (critter-stack-quick.md for --quick) under the repository root.</summary>
    public string OutputPath
    {
        get
        {
            if (Out is not null) return Path.GetFullPath(Out);
            var file = Quick ? "critter-stack-quick.md" : "critter-stack.md";
            foreach (var start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
                for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
                    if (File.Exists(Path.Combine(dir.FullName, "bench", "Bench.csproj")))
                        return Path.Combine(dir.FullName, "bench", "results", file);
            return Path.GetFullPath(Path.Combine("bench", "results", file));
        }
    }
}
