using System.Diagnostics;

namespace GovEvents.Store.Tests.Guarantees;

/// <summary>Polls until a condition holds or a generous timeout passes: never a fixed sleep for correctness.</summary>
public static class Eventually
{
    public static async Task<T> Until<T>(Func<Task<T>> read, Func<T, bool> done, TimeSpan timeout, string what)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            var value = await read();
            if (done(value)) return value;
            if (clock.Elapsed > timeout)
                throw new TimeoutException($"Not within {timeout.TotalSeconds:0} s: {what} (last seen: {value})");
            await Task.Delay(100);
        }
    }

    public static Task Until(Func<Task<bool>> done, TimeSpan timeout, string what) => Until(done, d => d, timeout, what);

    public static Task Until(Func<bool> done, TimeSpan timeout, string what) => Until(() => Task.FromResult(done()), d => d, timeout, what);
}
