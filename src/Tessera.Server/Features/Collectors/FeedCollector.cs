using Microsoft.Extensions.Options;

namespace Tessera.Server.Features.Collectors;

/// <summary>The background worker that runs <see cref="FeedPoller"/> every few seconds while the server runs.</summary>
public sealed partial class FeedCollector(FeedPoller poller, IOptions<CollectorOptions> options, TimeProvider time, ILogger<FeedCollector> logger)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Value.Enabled)
        {
            return;
        }

        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(options.Value.TickSeconds), time);
        do
        {
            try
            {
                await poller.PollDueAsync(stoppingToken);
            }
            catch (Exception e) when (!stoppingToken.IsCancellationRequested)
            {
                // A database hiccup must not end the worker; the next tick tries again.
                LogTickFailed(logger, e);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Feed collection failed; retrying at the next tick")]
    private static partial void LogTickFailed(ILogger logger, Exception error);
}

/// <summary>Registration of the collectors.</summary>
public static class CollectorRegistration
{
    public static IServiceCollection AddTesseraCollectors(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<CollectorOptions>()
            .Bind(configuration.GetSection(CollectorOptions.Section))
            .Validate(o => o.PollIntervalSeconds > 0 && o.MaxBackoffSeconds >= o.PollIntervalSeconds && o.TickSeconds > 0 && o.BatchSize > 0,
                $"{CollectorOptions.Section}: PollIntervalSeconds, TickSeconds and BatchSize must be positive and MaxBackoffSeconds at least the interval")
            .ValidateOnStart();
        services.AddSingleton<FeedPoller>();
        return services;
    }
}
