using System.Buffers;
using System.Net;
using Microsoft.Extensions.Options;

namespace Tessera.Server.Outbound;

/// <summary>
/// The one way out: every outbound request (collectors, webhooks, image fetches) uses the named
/// client <see cref="ClientName"/>, whose connections are vetted by <see cref="OutboundConnector"/>.
/// </summary>
public static class OutboundHttp
{
    /// <summary>The <see cref="IHttpClientFactory"/> name of the guarded client.</summary>
    public const string ClientName = "Tessera.Outbound";

    /// <summary>
    /// The client of webhook deliveries: the same guard, but no redirects (a POST must not turn into
    /// a GET elsewhere) and no client timeout (each attempt sets its own).
    /// </summary>
    public const string WebhookClientName = "Tessera.Webhooks";

    /// <summary>Redirects followed per request; each new connection is vetted again.</summary>
    public const int MaxRedirects = 5;

    public static IServiceCollection AddTesseraOutbound(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<OutboundOptions>()
            .Bind(configuration.GetSection(OutboundOptions.Section))
            .Validate(o => o.TimeoutSeconds > 0 && o.MaxResponseBytes > 0, $"{OutboundOptions.Section}: TimeoutSeconds and MaxResponseBytes must be positive")
            .Validate(o => !string.IsNullOrWhiteSpace(o.UserAgent) && !o.UserAgent.Any(char.IsControl), $"{OutboundOptions.Section}:UserAgent must be a non-empty single line")
            .Validate(o => o.AllowedHosts.All(h => AllowedHosts.TryNormalize(h, out _)), $"{OutboundOptions.Section}:AllowedHosts must hold host names or IP addresses only (no scheme, port or path)")
            .ValidateOnStart();

        services.AddTransient<OutboundGuardHandler>();
        services.AddHttpClient(ClientName)
            .ConfigurePrimaryHttpMessageHandler(sp => CreatePrimaryHandler(sp.GetRequiredService<IOptions<OutboundOptions>>().Value))
            .AddHttpMessageHandler<OutboundGuardHandler>()
            .ConfigureHttpClient((sp, client) =>
            {
                var options = sp.GetRequiredService<IOptions<OutboundOptions>>().Value;
                client.Timeout = TimeSpan.FromSeconds(options.TimeoutSeconds);
                client.MaxResponseContentBufferSize = options.MaxResponseBytes;
                client.DefaultRequestHeaders.TryAddWithoutValidation("User-Agent", options.UserAgent);
            });
        services.AddHttpClient(WebhookClientName)
            .ConfigurePrimaryHttpMessageHandler(sp => CreatePrimaryHandler(sp.GetRequiredService<IOptions<OutboundOptions>>().Value, followRedirects: false))
            .AddHttpMessageHandler<OutboundGuardHandler>()
            .ConfigureHttpClient((sp, client) =>
            {
                client.Timeout = Timeout.InfiniteTimeSpan;
                client.DefaultRequestHeaders.TryAddWithoutValidation("User-Agent", sp.GetRequiredService<IOptions<OutboundOptions>>().Value.UserAgent);
            });
        return services;
    }

    /// <summary>
    /// A socket handler that connects only through <see cref="OutboundConnector"/>: no proxy (it
    /// would connect for us), no cookies, at most <see cref="MaxRedirects"/> redirects.
    /// </summary>
    internal static SocketsHttpHandler CreatePrimaryHandler(OutboundOptions options, bool followRedirects = true)
    {
        var connector = new OutboundConnector(options);
        return new SocketsHttpHandler
        {
            UseProxy = false,
            UseCookies = false,
            AllowAutoRedirect = followRedirects,
            MaxAutomaticRedirections = MaxRedirects,
            AutomaticDecompression = DecompressionMethods.All,
            ConnectTimeout = TimeSpan.FromSeconds(options.TimeoutSeconds),
            PooledConnectionLifetime = TimeSpan.FromMinutes(2),
            ConnectCallback = connector.ConnectAsync,
        };
    }

    /// <summary>
    /// Reads the whole body, failing with <see cref="OutboundResponseTooLargeException"/> as soon as
    /// it passes <paramref name="maxBytes"/> (declared or counted). Send with
    /// <see cref="HttpCompletionOption.ResponseHeadersRead"/> so the body is not buffered before.
    /// </summary>
    public static async Task<byte[]> ReadBoundedAsync(HttpResponseMessage response, int maxBytes, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(response);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxBytes);
        var uri = response.RequestMessage?.RequestUri;
        var declared = response.Content.Headers.ContentLength;
        if (declared > maxBytes)
        {
            throw new OutboundResponseTooLargeException(uri, maxBytes);
        }

        await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken);
        using var body = new MemoryStream(declared is { } length ? (int)length : 0);
        var chunk = ArrayPool<byte>.Shared.Rent(16 * 1024);
        try
        {
            int read;
            while ((read = await stream.ReadAsync(chunk, cancellationToken)) > 0)
            {
                if (body.Length + read > maxBytes)
                {
                    throw new OutboundResponseTooLargeException(uri, maxBytes);
                }

                body.Write(chunk, 0, read);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(chunk);
        }

        return body.ToArray();
    }
}
