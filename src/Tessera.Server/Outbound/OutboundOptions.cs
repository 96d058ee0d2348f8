namespace Tessera.Server.Outbound;

/// <summary>
/// <c>Tessera:Outbound</c>: the rule every outbound request (collectors, webhooks, image fetches)
/// obeys. By default only public addresses are reachable (decisions §3).
/// </summary>
public sealed class OutboundOptions
{
    public const string Section = "Tessera:Outbound";

    /// <summary>True lets outbound requests reach loopback, private and other non-public addresses.</summary>
    public bool AllowPrivateNetworks { get; set; }

    /// <summary>
    /// Hosts that may resolve to non-public addresses, matched against the host as written in the
    /// URL (case-insensitive; IP literals compared as addresses). <c>127.0.0.1</c> does not allow <c>localhost</c>.
    /// </summary>
    public List<string> AllowedHosts { get; set; } = [];

    /// <summary>Whole-request timeout, redirects included.</summary>
    public int TimeoutSeconds { get; set; } = 10;

    /// <summary>The largest response body read, after decompression.</summary>
    public int MaxResponseBytes { get; set; } = 5 * 1024 * 1024;

    public string UserAgent { get; set; } = "Tessera/1.0 (+self-hosted UGC)";
}
