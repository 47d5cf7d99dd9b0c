using GovEvents.Testing;

namespace GovEvents.EventStore.Tests;

public sealed record AccountOpened(string AccountId, string Owner, DateTimeOffset OpenedAt);
public sealed record MoneyDeposited(string AccountId, decimal Amount, DateTimeOffset DepositedAt);
public sealed record AccountClosed(string AccountId, string Reason, DateTimeOffset ClosedAt);

public sealed record Account(string? Id = null, string? Owner = null, decimal Balance = 0, bool Closed = false)
{
    public static Account Evolve(Account state, object e) => e switch
    {
        AccountOpened o => state with { Id = o.AccountId, Owner = o.Owner },
        MoneyDeposited d => state with { Balance = state.Balance + d.Amount },
        AccountClosed => state with { Closed = true },
        _ => state,
    };
}

/// <summary>
/// A migrated store in its own database. The store connects as an application role that may only
/// SELECT and INSERT on events, as in production; <see cref="TestDatabase.ConnectionString"/> is the superuser.
/// </summary>
public class StoreFixture : TestDatabase
{
    public StoreFixture()
    {
        AppConnectionString = CreateLoginRole("app");
        Time = new ManualTimeProvider(new DateTimeOffset(2026, 3, 2, 9, 0, 0, TimeSpan.FromHours(8)));
        Options = NewOptions();
        new SchemaMigrator(Options, ConnectionString).MigrateAsync().GetAwaiter().GetResult();
        Store = new PgEventStore(Options, Time);
    }

    public string AppConnectionString { get; }
    public ManualTimeProvider Time { get; }
    public EventStoreOptions Options { get; }
    public PgEventStore Store { get; }

    public EventStoreOptions NewOptions()
    {
        var options = new EventStoreOptions { ConnectionString = AppConnectionString, ApplicationRole = $"{Name}_app" };
        options.Types.Register<AccountOpened>().Register<MoneyDeposited>().Register<AccountClosed>();
        return options;
    }

    public override async ValueTask DisposeAsync()
    {
        await Store.DisposeAsync();
        await base.DisposeAsync();
    }
}
