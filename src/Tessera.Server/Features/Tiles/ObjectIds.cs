using System.Security.Cryptography;

namespace Tessera.Server.Features.Tiles;

/// <summary>
/// Tile ids in the MongoDB ObjectId shape Stackla clients expect: 24 lower-case hex digits, the first 8
/// the creation time in seconds. They sort by time (so <c>since_id</c> can compare them) and start with a
/// digit until 2055, which the PHP SDK needs (it treats an id whose <c>intval</c> is 0 as JSON).
/// </summary>
public static class ObjectIds
{
    public static string New(DateTimeOffset now)
    {
        Span<byte> bytes = stackalloc byte[12];
        var seconds = (uint)now.ToUnixTimeSeconds();
        bytes[0] = (byte)(seconds >> 24);
        bytes[1] = (byte)(seconds >> 16);
        bytes[2] = (byte)(seconds >> 8);
        bytes[3] = (byte)seconds;
        RandomNumberGenerator.Fill(bytes[4..]);
        return Convert.ToHexStringLower(bytes);
    }

    public static bool IsValid(string value) =>
        value.Length == 24 && value.All(char.IsAsciiHexDigit);
}
