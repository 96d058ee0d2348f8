using System.Security.Cryptography;
using System.Text;

namespace Tessera.Server.Auth;

/// <summary>
/// The random secrets the server hands out (access and refresh tokens, OAuth codes and client
/// secrets, invitation links, admin sessions) and their stored form. They are 256-bit random
/// values, so a fast hash (SHA-256) is enough: a database leak reveals no usable secret.
/// </summary>
public static class Secrets
{
    /// <summary>256 random bits as 64 lower-case hex digits (URL-safe).</summary>
    public static string NewValue() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));

    /// <summary>The stored form of a secret: SHA-256, as 64 lower-case hex digits.</summary>
    public static string Hash(string value) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(value)));
}
