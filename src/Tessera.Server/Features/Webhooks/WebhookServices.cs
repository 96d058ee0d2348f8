using Tessera.Server.Data;

namespace Tessera.Server.Features.Webhooks;

public static class WebhookServices
{
    /// <summary>The outbox (a save hook), the subscription directory, the sender and the dispatcher (hosted by the server only).</summary>
    public static IServiceCollection AddTesseraWebhooks(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<WebhookOptions>()
            .Bind(configuration.GetSection(WebhookOptions.Section))
            .Validate(o => o.IsValid(), $"{WebhookOptions.Section}: every duration must be positive, MaxBackoffSeconds at least RetryBaseSeconds, Concurrency 1–256 and BatchSize 1–1000")
            .ValidateOnStart();
        services.AddSingleton<WebhookDirectory>();
        services.AddSingleton<WebhookSignal>();
        services.AddSingleton<WebhookOutbox>();
        services.AddSingleton<ISaveHook>(sp => sp.GetRequiredService<WebhookOutbox>());
        services.AddSingleton<WebhookSender>();
        services.AddSingleton<WebhookDispatcher>();
        return services;
    }
}
