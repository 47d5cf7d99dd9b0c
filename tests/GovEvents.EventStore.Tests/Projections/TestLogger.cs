using Microsoft.Extensions.Logging;
using Xunit.Abstractions;

namespace GovEvents.EventStore.Tests.Projections;

/// <summary>Daemon logs into the test's output, so a failing test shows what the daemon saw.</summary>
public sealed class TestLogger<T>(ITestOutputHelper output, string node = "") : ILogger<T>
{
    public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Debug;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        try
        {
            output.WriteLine($"{DateTime.Now:HH:mm:ss.fff} {node} {logLevel}: {formatter(state, exception)}{(exception is null ? "" : " | " + exception.GetType().Name + ": " + exception.Message)}");
        }
        catch (InvalidOperationException)
        {
            // The test has finished; its output is closed.
        }
    }
}
