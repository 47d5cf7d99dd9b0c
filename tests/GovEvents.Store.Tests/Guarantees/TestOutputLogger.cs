using Microsoft.Extensions.Logging;
using Xunit.Abstractions;

namespace GovEvents.Store.Tests.Guarantees;

/// <summary>The daemon's log in the test's output, so a failure shows what the daemon saw.</summary>
public sealed class TestOutputLogger(ITestOutputHelper output, string node = "") : ILogger, ILoggerProvider
{
    public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Information;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        if (!IsEnabled(logLevel)) return;
        try
        {
            output.WriteLine($"{DateTime.UtcNow:HH:mm:ss.fff} {node}{logLevel}: {formatter(state, exception)}{(exception is null ? "" : " " + exception.GetType().Name + ": " + exception.Message)}");
        }
        catch (InvalidOperationException)
        {
            // The test has finished; the daemon may still be stopping.
        }
    }

    public ILogger CreateLogger(string categoryName) => this;

    public void Dispose() { }
}
