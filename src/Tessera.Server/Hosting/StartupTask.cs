namespace Tessera.Server.Hosting;

/// <summary>
/// Work that must finish before the server listens. The host completes every
/// <see cref="IHostedLifecycleService.StartingAsync"/> before any service (Kestrel included)
/// starts, in registration order.
/// </summary>
public abstract class StartupTask : IHostedLifecycleService
{
    public abstract Task StartingAsync(CancellationToken cancellationToken);

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
