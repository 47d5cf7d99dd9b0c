using Npgsql;

namespace GovEvents.Testing;

/// <summary>
/// A fresh PostgreSQL database for one test class (xunit class fixture), dropped afterwards, so
/// classes run in parallel and leave nothing behind. The server is the one ./test.sh starts
/// (GOVEVENTS_TEST_ADMIN_DB, a superuser connection), never a mock.
/// </summary>
public class TestDatabase : IAsyncDisposable, Xunit.IAsyncLifetime
{
    public static string AdminConnectionString =>
        Environment.GetEnvironmentVariable("GOVEVENTS_TEST_ADMIN_DB") is { Length: > 0 } cs
            ? cs
            : "Host=127.0.0.1;Port=55432;Username=postgres;Database=postgres";

    private readonly string _admin;

    public TestDatabase() : this(AdminConnectionString) { }

    /// <summary>A database on another server (a <see cref="PrivateCluster"/>) through its superuser connection.</summary>
    public TestDatabase(string adminConnectionString)
    {
        _admin = adminConnectionString;
        Name = "ge_test_" + Guid.NewGuid().ToString("N")[..16];
        using var conn = new NpgsqlConnection(_admin);
        conn.Open();
        using var cmd = new NpgsqlCommand($"create database {Name}", conn);
        cmd.ExecuteNonQuery();
        ConnectionString = new NpgsqlConnectionStringBuilder(_admin)
        {
            Database = Name,
            MaxPoolSize = 60,
        }.ConnectionString;
    }

    /// <summary>Database name, also usable as a unique prefix for cluster-wide objects (roles).</summary>
    public string Name { get; }

    /// <summary>Superuser connection to this database.</summary>
    public string ConnectionString { get; }

    // Login roles of this fixture and their passwords (the local cluster asks every role for one).
    private readonly Dictionary<string, string> _roles = [];

    /// <summary>Creates a login role local to this fixture (dropped with it), with a password of its own, and returns its connection string.</summary>
    public string CreateLoginRole(string suffix)
    {
        var role = $"{Name}_{suffix}";
        var password = Convert.ToHexString(System.Security.Cryptography.RandomNumberGenerator.GetBytes(16));
        using (var conn = new NpgsqlConnection(ConnectionString))
        {
            conn.Open();
            using var cmd = new NpgsqlCommand($"create role {role} login password '{password}'", conn);
            cmd.ExecuteNonQuery();
        }
        lock (_roles) _roles[role] = password;
        return RoleConnectionString(role);
    }

    /// <summary>A connection to this database as a role made by <see cref="CreateLoginRole"/>, with its password.</summary>
    public string RoleConnectionString(string role)
    {
        string? password;
        lock (_roles) _roles.TryGetValue(role, out password);
        return new NpgsqlConnectionStringBuilder(ConnectionString)
        {
            Username = role,
            Password = password ?? throw new InvalidOperationException($"Role {role} was not made by this fixture's CreateLoginRole: its password is unknown."),
        }.ConnectionString;
    }

    // xunit 2 disposes a class fixture through IAsyncLifetime or IDisposable, never IAsyncDisposable.
    Task Xunit.IAsyncLifetime.InitializeAsync() => Task.CompletedTask;
    Task Xunit.IAsyncLifetime.DisposeAsync() => DisposeAsync().AsTask();

    private int _disposed;

    public virtual async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1) return;
        NpgsqlConnection.ClearAllPools();
        await using var conn = new NpgsqlConnection(_admin);
        await conn.OpenAsync();
        await using (var cmd = new NpgsqlCommand($"drop database if exists {Name} with (force)", conn))
            await cmd.ExecuteNonQueryAsync();
        foreach (var role in _roles.Keys)
        {
            await using var cmd = new NpgsqlCommand($"drop role if exists {role}", conn);
            await cmd.ExecuteNonQueryAsync();
        }
        GC.SuppressFinalize(this);
    }
}

/// <summary>A time source tests move by hand.</summary>
public sealed class ManualTimeProvider(DateTimeOffset start) : TimeProvider
{
    private DateTimeOffset _now = start;
    private readonly object _gate = new();

    public override DateTimeOffset GetUtcNow() { lock (_gate) return _now; }
    public void Set(DateTimeOffset now) { lock (_gate) _now = now; }
    public void Advance(TimeSpan by) { lock (_gate) _now += by; }
}
