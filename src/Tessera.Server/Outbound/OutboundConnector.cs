using System.Net;
using System.Net.Sockets;

namespace Tessera.Server.Outbound;

/// <summary>
/// The connect step of the outbound client: resolves the host once, refuses the connection unless
/// every address is public (or the host is allowed), then connects to one of those same addresses,
/// so a second lookup cannot swap in another (DNS rebinding). Runs for every new connection,
/// redirects included.
/// </summary>
internal sealed class OutboundConnector(OutboundOptions options)
{
    private readonly AllowedHosts _allowedHosts = new(options.AllowedHosts);
    private readonly bool _allowPrivateNetworks = options.AllowPrivateNetworks;

    public async ValueTask<Stream> ConnectAsync(SocketsHttpConnectionContext context, CancellationToken cancellationToken)
    {
        var host = context.DnsEndPoint.Host;
        var addresses = await ResolveAsync(host, cancellationToken);
        if (!_allowPrivateNetworks && !_allowedHosts.Contains(host))
        {
            foreach (var address in addresses)
            {
                if (OutboundAddresses.RefusalReason(address) is { } reason)
                {
                    throw new OutboundRefusedException(host, address, reason);
                }
            }
        }

        return await ConnectToAnyAsync(addresses, context.DnsEndPoint.Port, cancellationToken);
    }

    private static async Task<IPAddress[]> ResolveAsync(string host, CancellationToken cancellationToken)
    {
        if (AllowedHosts.ParseLiteral(host) is { } literal)
        {
            return [literal];
        }

        var addresses = await Dns.GetHostAddressesAsync(host, cancellationToken);
        return addresses.Length > 0 ? addresses : throw new SocketException((int)SocketError.HostNotFound);
    }

    private static async Task<Stream> ConnectToAnyAsync(IPAddress[] addresses, int port, CancellationToken cancellationToken)
    {
        SocketException? last = null;
        foreach (var address in addresses)
        {
            var socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                await socket.ConnectAsync(new IPEndPoint(address, port), cancellationToken);
                return new NetworkStream(socket, ownsSocket: true);
            }
            catch (SocketException e)
            {
                socket.Dispose();
                last = e;
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        }

        throw last ?? new SocketException((int)SocketError.HostNotFound);
    }
}

/// <summary>
/// <c>Tessera:Outbound:AllowedHosts</c>, matched against the host as written in the URL: names
/// case-insensitively (IDN in its ASCII form, a trailing dot ignored), IP literals as addresses.
/// What a name resolves to never matters, so allowing <c>127.0.0.1</c> allows no name that resolves to it.
/// </summary>
internal sealed class AllowedHosts
{
    private readonly HashSet<string> _names = new(StringComparer.OrdinalIgnoreCase);
    private readonly HashSet<IPAddress> _addresses = [];

    public AllowedHosts(IEnumerable<string> entries)
    {
        foreach (var entry in entries)
        {
            if (!TryNormalize(entry, out var normalized))
            {
                continue;
            }

            if (IPAddress.TryParse(normalized, out var address))
            {
                _addresses.Add(address);
            }
            else
            {
                _names.Add(normalized);
            }
        }
    }

    public bool Contains(string host) =>
        ParseLiteral(host) is { } address ? _addresses.Contains(address) : _names.Contains(host.TrimEnd('.'));

    /// <summary>The address when <paramref name="host"/> is an IP literal (brackets allowed), else null.</summary>
    public static IPAddress? ParseLiteral(string host)
    {
        var bare = host.StartsWith('[') && host.EndsWith(']') ? host[1..^1] : host;
        return Uri.CheckHostName(bare) is UriHostNameType.IPv4 or UriHostNameType.IPv6 && IPAddress.TryParse(bare, out var address) ? address : null;
    }

    /// <summary>An entry's canonical form: an address as text, or the lower-case ASCII host name.</summary>
    public static bool TryNormalize(string? entry, out string normalized)
    {
        normalized = string.Empty;
        var trimmed = entry?.Trim() ?? string.Empty;
        if (ParseLiteral(trimmed) is { } address)
        {
            normalized = address.ToString();
            return true;
        }

        if (Uri.CheckHostName(trimmed) != UriHostNameType.Dns || !Uri.TryCreate($"http://{trimmed}/", UriKind.Absolute, out var uri))
        {
            return false;
        }

        normalized = uri.IdnHost.TrimEnd('.').ToLowerInvariant();
        return normalized.Length > 0;
    }
}

/// <summary>
/// Sits above the socket handler: refuses non-http(s) URLs, keeps requests off HTTP/3 (QUIC would
/// not pass through the connect check), and rethrows a refusal as itself rather than wrapped.
/// </summary>
internal sealed class OutboundGuardHandler : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var uri = request.RequestUri;
        if (uri is not { IsAbsoluteUri: true } || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
        {
            throw new OutboundRefusedException(uri, "only absolute http and https URLs are allowed");
        }

        if (request.Version.Major >= 3)
        {
            request.Version = HttpVersion.Version20;
        }

        if (request.VersionPolicy == HttpVersionPolicy.RequestVersionOrHigher)
        {
            request.VersionPolicy = HttpVersionPolicy.RequestVersionOrLower;
        }

        try
        {
            return await base.SendAsync(request, cancellationToken);
        }
        catch (HttpRequestException e) when (e is not OutboundRefusedException && OutboundRefusedException.Find(e) is { } refused)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(refused);
            throw;
        }
    }
}
