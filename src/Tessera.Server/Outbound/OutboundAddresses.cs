using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;

namespace Tessera.Server.Outbound;

/// <summary>
/// Tells public addresses from the ones an outbound request must not reach: loopback, private,
/// shared (CGNAT), link-local (cloud metadata), multicast, reserved, and the IPv6 forms that embed them.
/// </summary>
public static class OutboundAddresses
{
    public static bool IsPublic(IPAddress address) => RefusalReason(address) is null;

    /// <summary>Why <paramref name="address"/> is not public (e.g. "loopback"), or null when it is.</summary>
    public static string? RefusalReason(IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        return address.AddressFamily switch
        {
            AddressFamily.InterNetwork => V4Reason(V4Bits(address)),
            AddressFamily.InterNetworkV6 => V6Reason(address),
            _ => "not an IP address",
        };
    }

    private static uint V4Bits(IPAddress address)
    {
        Span<byte> bytes = stackalloc byte[4];
        address.TryWriteBytes(bytes, out _);
        return BinaryPrimitives.ReadUInt32BigEndian(bytes);
    }

    private static bool In(uint address, uint network, int prefix) =>
        prefix == 0 || (address >> (32 - prefix)) == (network >> (32 - prefix));

    private static uint V4(byte a, byte b, byte c, byte d) => ((uint)a << 24) | ((uint)b << 16) | ((uint)c << 8) | d;

    private static string? V4Reason(uint a) => a switch
    {
        _ when In(a, V4(0, 0, 0, 0), 8) => "\"this network\" (0.0.0.0/8)",
        _ when In(a, V4(10, 0, 0, 0), 8) => "private network (10.0.0.0/8)",
        _ when In(a, V4(100, 64, 0, 0), 10) => "shared address space / CGNAT (100.64.0.0/10)",
        _ when In(a, V4(127, 0, 0, 0), 8) => "loopback (127.0.0.0/8)",
        _ when In(a, V4(169, 254, 0, 0), 16) => "link-local, incl. cloud metadata (169.254.0.0/16)",
        _ when In(a, V4(172, 16, 0, 0), 12) => "private network (172.16.0.0/12)",
        _ when In(a, V4(192, 0, 0, 0), 24) => "IETF protocol assignments (192.0.0.0/24)",
        _ when In(a, V4(192, 0, 2, 0), 24) => "documentation (192.0.2.0/24)",
        _ when In(a, V4(192, 88, 99, 0), 24) => "6to4 relay anycast (192.88.99.0/24)",
        _ when In(a, V4(192, 168, 0, 0), 16) => "private network (192.168.0.0/16)",
        _ when In(a, V4(198, 18, 0, 0), 15) => "benchmarking (198.18.0.0/15)",
        _ when In(a, V4(198, 51, 100, 0), 24) => "documentation (198.51.100.0/24)",
        _ when In(a, V4(203, 0, 113, 0), 24) => "documentation (203.0.113.0/24)",
        _ when In(a, V4(224, 0, 0, 0), 4) => "multicast (224.0.0.0/4)",
        uint.MaxValue => "broadcast (255.255.255.255)",
        _ when In(a, V4(240, 0, 0, 0), 4) => "reserved (240.0.0.0/4)",
        _ => null,
    };

    private static string? V6Reason(IPAddress address)
    {
        Span<byte> b = stackalloc byte[16];
        address.TryWriteBytes(b, out _);
        var high = BinaryPrimitives.ReadUInt64BigEndian(b);
        var low = BinaryPrimitives.ReadUInt64BigEndian(b[8..]);
        var last32 = BinaryPrimitives.ReadUInt32BigEndian(b[12..]);

        if (high == 0 && low == 0)
        {
            return "unspecified (::)";
        }

        if (high == 0 && low == 1)
        {
            return "loopback (::1)";
        }

        if (high == 0 && (low >> 32) == 0xFFFF)
        {
            return Embedded("IPv4-mapped", last32);
        }

        if (high == 0 && (low >> 32) == 0)
        {
            return "IPv4-compatible (deprecated, ::/96)";
        }

        // 64:ff9b::/96, the well-known NAT64 prefix: the last 32 bits are the IPv4 destination.
        if (high == 0x0064_FF9B_0000_0000UL && (low >> 32) == 0)
        {
            return Embedded("NAT64", last32);
        }

        if ((high >> 16) == 0x0064_FF9B_0001UL)
        {
            return "local-use NAT64 (64:ff9b:1::/48)";
        }

        if (high == 0x0100_0000_0000_0000UL)
        {
            return "discard-only (100::/64)";
        }

        var first16 = (ushort)(high >> 48);
        if ((first16 & 0xFE00) == 0xFC00)
        {
            return "unique local (fc00::/7)";
        }

        if ((first16 & 0xFFC0) == 0xFE80)
        {
            return "link-local (fe80::/10)";
        }

        if ((first16 & 0xFFC0) == 0xFEC0)
        {
            return "site-local (deprecated, fec0::/10)";
        }

        if ((first16 & 0xFF00) == 0xFF00)
        {
            return "multicast (ff00::/8)";
        }

        // Outside 2000::/3 nothing is assigned for global unicast.
        if ((first16 & 0xE000) != 0x2000)
        {
            return "reserved IPv6 (outside 2000::/3)";
        }

        if ((high >> 32) == 0x2001_0DB8UL)
        {
            return "documentation (2001:db8::/32)";
        }

        if ((high >> 44) == 0x3FFF0UL)
        {
            return "documentation (3fff::/20)";
        }

        // 2002::/16 6to4: bits 16..47 are the IPv4 address of the site.
        if (first16 == 0x2002)
        {
            return Embedded("6to4", (uint)(high >> 16));
        }

        // 2001::/32 Teredo: the client's IPv4 address is the last 32 bits, inverted.
        if ((high >> 32) == 0x2001_0000UL)
        {
            return Embedded("Teredo", ~last32);
        }

        return null;
    }

    private static string? Embedded(string form, uint v4) =>
        V4Reason(v4) is { } reason ? $"{form} {new IPAddress([(byte)(v4 >> 24), (byte)(v4 >> 16), (byte)(v4 >> 8), (byte)v4])}: {reason}" : null;
}
