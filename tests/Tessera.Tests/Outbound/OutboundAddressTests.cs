using System.Net;
using Tessera.Server.Outbound;

namespace Tessera.Tests.Outbound;

public sealed class OutboundAddressTests
{
    [Theory]
    [InlineData("0.0.0.0")]
    [InlineData("0.1.2.3")]
    [InlineData("10.0.0.1")]
    [InlineData("10.255.255.255")]
    [InlineData("100.64.0.1")]
    [InlineData("100.127.255.254")]
    [InlineData("127.0.0.1")]
    [InlineData("127.255.0.9")]
    [InlineData("169.254.169.254")] // cloud metadata
    [InlineData("169.254.0.1")]
    [InlineData("172.16.0.1")]
    [InlineData("172.31.255.255")]
    [InlineData("192.0.0.170")]
    [InlineData("192.0.2.10")]
    [InlineData("192.168.1.1")]
    [InlineData("198.18.0.1")]
    [InlineData("198.19.255.255")]
    [InlineData("198.51.100.7")]
    [InlineData("203.0.113.7")]
    [InlineData("224.0.0.1")]
    [InlineData("239.255.255.250")]
    [InlineData("240.0.0.1")]
    [InlineData("255.255.255.255")]
    [InlineData("::")]
    [InlineData("::1")]
    [InlineData("::ffff:127.0.0.1")]
    [InlineData("::ffff:10.1.2.3")]
    [InlineData("::ffff:169.254.169.254")]
    [InlineData("::127.0.0.1")] // IPv4-compatible
    [InlineData("::8.8.8.8")]
    [InlineData("64:ff9b::10.0.0.1")] // NAT64 of a private address
    [InlineData("64:ff9b::7f00:1")]
    [InlineData("64:ff9b:1::1")]
    [InlineData("100::1")]
    [InlineData("fc00::1")]
    [InlineData("fd12:3456:789a::1")]
    [InlineData("fe80::1")]
    [InlineData("fe80::1%2")]
    [InlineData("febf::1")]
    [InlineData("fec0::1")]
    [InlineData("ff02::1")]
    [InlineData("ff0e::1")]
    [InlineData("2001:db8::1")]
    [InlineData("3fff:fff::1")]
    [InlineData("2002:7f00:1::1")] // 6to4 of 127.0.0.1
    [InlineData("2002:c0a8:101::1")] // 6to4 of 192.168.1.1
    [InlineData("2001:0:4136:e378:8000:63bf:f5ff:fffe")] // Teredo client 10.0.0.1
    [InlineData("4000::1")]
    [InlineData("::2")]
    public void Non_public_addresses_are_refused(string text)
    {
        var address = IPAddress.Parse(text);

        Assert.False(OutboundAddresses.IsPublic(address), text);
        Assert.False(string.IsNullOrEmpty(OutboundAddresses.RefusalReason(address)));
    }

    [Theory]
    [InlineData("1.1.1.1")]
    [InlineData("8.8.8.8")]
    [InlineData("9.255.255.255")]
    [InlineData("11.0.0.0")]
    [InlineData("100.63.255.255")]
    [InlineData("100.128.0.0")]
    [InlineData("126.255.255.255")]
    [InlineData("128.0.0.1")]
    [InlineData("169.253.255.255")]
    [InlineData("169.255.0.0")]
    [InlineData("172.15.255.255")]
    [InlineData("172.32.0.0")]
    [InlineData("192.0.1.1")]
    [InlineData("192.167.255.255")]
    [InlineData("192.169.0.0")]
    [InlineData("198.20.0.0")]
    [InlineData("223.255.255.255")]
    [InlineData("93.184.216.34")]
    [InlineData("::ffff:8.8.8.8")]
    [InlineData("64:ff9b::8.8.8.8")]
    [InlineData("2606:4700:4700::1111")]
    [InlineData("2a00:1450:4001:82b::200e")]
    [InlineData("2002:808:808::1")] // 6to4 of 8.8.8.8
    [InlineData("2001:0:4136:e378:8000:63bf:f7f7:f7f7")] // Teredo client 8.8.8.8
    [InlineData("2c0f:fb50::1")]
    [InlineData("3ffe::1")]
    public void Public_addresses_pass(string text)
    {
        var address = IPAddress.Parse(text);

        Assert.True(OutboundAddresses.IsPublic(address), OutboundAddresses.RefusalReason(address));
    }

    [Theory]
    [InlineData("127.0.0.1", "loopback")]
    [InlineData("169.254.169.254", "link-local")]
    [InlineData("100.100.100.200", "CGNAT")]
    [InlineData("::ffff:192.168.0.1", "IPv4-mapped 192.168.0.1: private network")]
    [InlineData("2002:a00:1::", "6to4 10.0.0.1: private network")]
    [InlineData("fd00::1", "unique local")]
    public void The_reason_names_the_range(string text, string expected)
    {
        Assert.Contains(expected, OutboundAddresses.RefusalReason(IPAddress.Parse(text)), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("127.0.0.1", "127.0.0.1", true)]
    [InlineData("127.0.0.1", "localhost", false)]
    [InlineData("localhost", "127.0.0.1", false)]
    [InlineData("::1", "[::1]", true)]
    [InlineData("[::1]", "::1", true)]
    [InlineData("0:0::1", "::1", true)]
    [InlineData("Intranet.Example", "intranet.example", true)]
    [InlineData("intranet.example.", "intranet.example", true)]
    [InlineData("intranet.example", "other.example", false)]
    [InlineData("intranet.example", "sub.intranet.example", false)]
    public void Allowed_hosts_match_the_written_host(string entry, string host, bool allowed)
    {
        Assert.Equal(allowed, new AllowedHosts([entry]).Contains(host));
    }

    [Theory]
    [InlineData("http://example.com")]
    [InlineData("example.com:8080")]
    [InlineData("example.com/path")]
    [InlineData("")]
    [InlineData("exa mple.com")]
    public void Invalid_allow_list_entries_are_rejected(string entry)
    {
        Assert.False(AllowedHosts.TryNormalize(entry, out _));
    }
}
