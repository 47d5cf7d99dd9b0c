using System.Globalization;

namespace GovEvents.Bench.Measure;

/// <summary>Samples the 1-minute load average while the run lasts, to say in the report how shared the machine was.</summary>
public sealed class LoadSampler : IDisposable
{
    private readonly List<double> _samples = [];
    private readonly Timer _timer;

    public LoadSampler() => _timer = new Timer(_ => Sample(), null, TimeSpan.Zero, TimeSpan.FromSeconds(5));

    private void Sample()
    {
        if (!File.Exists("/proc/loadavg")) return;
        var one = double.Parse(File.ReadAllText("/proc/loadavg").Split(' ')[0], CultureInfo.InvariantCulture);
        lock (_samples) _samples.Add(one);
    }

    /// <summary>
    /// Median and maximum of the samples and the first one (taken when the sampler starts, before the run's own
    /// work), or null when /proc/loadavg is not there.
    /// </summary>
    public (double Median, double Max, double AtStart)? Summary
    {
        get
        {
            lock (_samples)
                return _samples.Count == 0 ? null : (Comparison.Median(_samples), _samples.Max(), _samples[0]);
        }
    }

    public void Dispose() => _timer.Dispose();
}
