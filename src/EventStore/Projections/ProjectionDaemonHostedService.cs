using Microsoft.Extensions.Hosting;

namespace GovEvents.EventStore;

/// <summary>Runs a <see cref="ProjectionDaemon"/> for the lifetime of the host.</summary>
public sealed class ProjectionDaemonHostedService(ProjectionDaemon daemon) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) => daemon.StartAsync(cancellationToken);

    public Task StopAsync(CancellationToken cancellationToken) => daemon.StopAsync();
}
