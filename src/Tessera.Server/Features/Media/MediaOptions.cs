namespace Tessera.Server.Features.Media;

/// <summary><c>Tessera:Media</c>: where uploaded images live and the limits an upload must meet.</summary>
public sealed class MediaOptions
{
    public const string Section = "Tessera:Media";

    /// <summary>Largest accepted <see cref="MaxUploadBytes"/>; the API's multipart limit is lower anyway.</summary>
    public const long UploadBytesCeiling = 1L << 30;

    /// <summary>The folder served under <c>/media/</c>; a relative path is resolved against the content root.</summary>
    public string Root { get; set; } = "./data/media";

    /// <summary>Bytes one upload may have (10 MiB).</summary>
    public long MaxUploadBytes { get; set; } = 10 * 1024 * 1024;

    /// <summary>Width × height an image may have, read from its header before decoding (a decompression-bomb guard).</summary>
    public long MaxPixels { get; set; } = 40_000_000;

    /// <summary>Quality (1–100) of the JPEG renditions.</summary>
    public int JpegQuality { get; set; } = 82;

    internal static bool IsValid(MediaOptions o) =>
        !string.IsNullOrWhiteSpace(o.Root)
        && o.MaxUploadBytes is > 0 and <= UploadBytesCeiling
        && o.MaxPixels > 0
        && o.JpegQuality is >= 1 and <= 100;
}
