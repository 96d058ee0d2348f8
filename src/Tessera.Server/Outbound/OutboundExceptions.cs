using System.Net;

namespace Tessera.Server.Outbound;

/// <summary>
/// The outbound rule refused a request: the host resolved to a non-public address that is not
/// allowed, or the URL is not http/https. An <see cref="HttpRequestException"/>, so callers that
/// treat any network failure alike need nothing more; <see cref="Find"/> digs it out of wrappers.
/// </summary>
public sealed class OutboundRefusedException : HttpRequestException
{
    public OutboundRefusedException(string host, IPAddress address, string reason)
        : base(HttpRequestError.ConnectionError,
            $"outbound request to '{host}' refused: {address} is {reason}; allow it with {OutboundOptions.Section}:AllowedHosts or {OutboundOptions.Section}:AllowPrivateNetworks")
    {
        Host = host;
        Address = address;
        Reason = reason;
    }

    public OutboundRefusedException(Uri? uri, string reason)
        : base(HttpRequestError.Unknown, $"outbound request to '{uri}' refused: {reason}")
    {
        Host = uri is { IsAbsoluteUri: true } ? uri.Host : string.Empty;
        Reason = reason;
    }

    /// <summary>The host as written in the URL (or redirect) that was refused.</summary>
    public string Host { get; }

    /// <summary>The non-public address the host resolved to; null when the URL itself was refused.</summary>
    public IPAddress? Address { get; }

    /// <summary>Why, e.g. "loopback (127.0.0.0/8)" or "only http and https URLs are allowed".</summary>
    public string Reason { get; }

    /// <summary>The refusal in <paramref name="exception"/> or its inner exceptions, if any.</summary>
    public static OutboundRefusedException? Find(Exception? exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            if (e is OutboundRefusedException refused)
            {
                return refused;
            }
        }

        return null;
    }
}

/// <summary>A response body is larger than the bound the caller read it with.</summary>
public sealed class OutboundResponseTooLargeException(Uri? uri, long maxBytes)
    : HttpRequestException(HttpRequestError.ConfigurationLimitExceeded, $"the response from '{uri}' is larger than the limit of {maxBytes} bytes")
{
    public long MaxBytes { get; } = maxBytes;
}

/// <summary>How an outbound failure is told to the stack that made the request (a term's last error, a delivery log).</summary>
public static class OutboundErrors
{
    /// <summary>
    /// A refused address without the address the host resolved to (a stack must not learn the
    /// deployment's internal addresses); a network or transfer failure (refused connection, body cut
    /// short, broken compression, timeout) as it is; null for anything else, which the caller reports
    /// as an internal error and logs.
    /// </summary>
    public static string? Describe(Exception error) => error switch
    {
        _ when OutboundRefusedException.Find(error) is { } refused =>
            $"refused: '{refused.Host}' is not a public address ({OutboundOptions.Section}:AllowedHosts lifts this)",
        HttpRequestException { InnerException: System.Net.Sockets.SocketException socket } => $"connection failed: {socket.SocketErrorCode}",
        HttpRequestException or IOException or InvalidDataException or TimeoutException => error.Message,
        _ => null,
    };
}
