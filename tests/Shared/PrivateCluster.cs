using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace GovEvents.Testing;

/// <summary>
/// A PostgreSQL server of one test's own (initdb into a temporary directory, loopback only, passwords as on
/// the shared cluster), for a test that crashes the server: the shared one of ./test.sh serves every other
/// class meanwhile. As root the server runs as `postgres`, which owns the directory.
/// </summary>
public sealed class PrivateCluster : IAsyncDisposable
{
    private readonly string _dir;
    private readonly string _bin;

    private readonly string _password;

    private PrivateCluster(string dir, string bin, int port, string password)
    {
        _dir = dir;
        _bin = bin;
        Port = port;
        _password = password;
    }

    public int Port { get; }

    public string AdminConnectionString => $"Host=127.0.0.1;Port={Port};Username=postgres;Password={_password};Database=postgres";

    private string Data => Path.Combine(_dir, "pg");

    public static async Task<PrivateCluster> StartAsync()
    {
        var bin = Directory.GetDirectories("/usr/lib/postgresql").OrderDescending()
            .Select(d => Path.Combine(d, "bin")).FirstOrDefault(d => File.Exists(Path.Combine(d, "initdb")))
            ?? throw new InvalidOperationException("No PostgreSQL server binaries under /usr/lib/postgresql (./test.sh installs them).");
        var dir = Path.Combine(Path.GetTempPath(), "ge-cluster-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(Path.Combine(dir, "run"));
        var password = Convert.ToHexString(System.Security.Cryptography.RandomNumberGenerator.GetBytes(16));
        var passwordFile = Path.Combine(dir, "password");
        await File.WriteAllTextAsync(passwordFile, password);
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(passwordFile, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        if (IsRoot) await RunAsync("chown", ["-R", "postgres:postgres", dir]);
        var cluster = new PrivateCluster(dir, bin, FreePort(), password);
        await cluster.AsOwnerAsync("initdb", ["-D", cluster.Data, "-U", "postgres", "-A", "scram-sha-256", "--pwfile", passwordFile, "--no-sync", "-E", "UTF8"]);
        File.Delete(passwordFile);
        await cluster.StartServerAsync();
        return cluster;
    }

    /// <summary>Starts the server again after <see cref="CrashAsync"/> (it recovers from its WAL).</summary>
    public Task StartServerAsync() => AsOwnerAsync("pg_ctl", ["-D", Data, "-w", "-t", "60", "-l", Path.Combine(_dir, "server.log"),
        "-o", $"-p {Port} -c listen_addresses=127.0.0.1 -k {Path.Combine(_dir, "run")}", "start"]);

    /// <summary>Stops the server the way a crash does: every backend killed, no shutdown checkpoint.</summary>
    public Task CrashAsync() => AsOwnerAsync("pg_ctl", ["-D", Data, "-m", "immediate", "stop"]);

    public async ValueTask DisposeAsync()
    {
        try { await AsOwnerAsync("pg_ctl", ["-D", Data, "-m", "immediate", "stop"]); } catch (InvalidOperationException) { /* not running */ }
        Directory.Delete(_dir, recursive: true);
    }

    private static bool IsRoot => Environment.UserName == "root";

    private Task AsOwnerAsync(string program, string[] args) => IsRoot
        ? RunAsync("runuser", ["-u", "postgres", "--", Path.Combine(_bin, program), .. args])
        : RunAsync(Path.Combine(_bin, program), args);

    private static async Task RunAsync(string program, string[] args)
    {
        var start = new ProcessStartInfo(program, args) { RedirectStandardOutput = true, RedirectStandardError = true };
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"{program} {string.Join(' ', args)} exited with {process.ExitCode}: {await error}{await output}");
    }

    /// <summary>A loopback port free at the moment of asking.</summary>
    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
