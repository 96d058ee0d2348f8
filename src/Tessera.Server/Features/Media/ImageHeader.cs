using System.Buffers.Binary;

namespace Tessera.Server.Features.Media;

/// <summary>The image formats an upload may have.</summary>
internal enum ImageFormat
{
    Jpeg,
    Png,
    WebP,
    Gif,
}

/// <summary>
/// Format and pixel size read from the first bytes of an upload, without decoding anything: the magic
/// bytes decide the format (never a file name or Content-Type), the header the declared size.
/// </summary>
internal readonly record struct ImageHeader(ImageFormat Format, int Width, int Height)
{
    public long Pixels => (long)Width * Height;

    /// <summary>The format by magic bytes, or null for anything else.</summary>
    public static ImageFormat? Sniff(ReadOnlySpan<byte> data)
    {
        if (data.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xD8, 0xFF]))
        {
            return ImageFormat.Jpeg;
        }

        if (data.StartsWith((ReadOnlySpan<byte>)[0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A]))
        {
            return ImageFormat.Png;
        }

        if (data.StartsWith("GIF87a"u8) || data.StartsWith("GIF89a"u8))
        {
            return ImageFormat.Gif;
        }

        if (data.Length >= 12 && data.StartsWith("RIFF"u8) && data[8..12].SequenceEqual("WEBP"u8))
        {
            return ImageFormat.WebP;
        }

        return null;
    }

    /// <summary>The declared size of an image of <paramref name="format"/>, or false when the header is damaged.</summary>
    public static bool TryRead(ReadOnlySpan<byte> data, ImageFormat format, out ImageHeader header)
    {
        int w, h;
        var ok = format switch
        {
            ImageFormat.Jpeg => TryJpeg(data, out w, out h),
            ImageFormat.Png => TryPng(data, out w, out h),
            ImageFormat.WebP => TryWebP(data, out w, out h),
            ImageFormat.Gif => TryGif(data, out w, out h),
            _ => throw new ArgumentOutOfRangeException(nameof(format)),
        };
        header = new ImageHeader(format, w, h);
        return ok && w > 0 && h > 0;
    }

    /// <summary>Walks the marker segments up to the first frame header (SOFn).</summary>
    private static bool TryJpeg(ReadOnlySpan<byte> d, out int width, out int height)
    {
        width = height = 0;
        var i = 2;
        while (i + 1 < d.Length)
        {
            if (d[i] != 0xFF)
            {
                return false;
            }

            var marker = d[i + 1];
            if (marker == 0xFF)
            {
                i++; // fill byte
                continue;
            }

            i += 2;
            if (marker is 0x01 or (>= 0xD0 and <= 0xD7))
            {
                continue; // no length
            }

            if (marker is 0xD8 or 0xD9 or 0xDA || i + 2 > d.Length)
            {
                return false; // a second SOI, the end or the scan before any frame header
            }

            var length = BinaryPrimitives.ReadUInt16BigEndian(d[i..]);
            if (length < 2 || i + length > d.Length)
            {
                return false;
            }

            // SOF0–SOF15 except DHT (C4), JPG (C8) and DAC (CC): precision, height, width.
            if (marker is >= 0xC0 and <= 0xCF and not 0xC4 and not 0xC8 and not 0xCC)
            {
                if (length < 8)
                {
                    return false;
                }

                height = BinaryPrimitives.ReadUInt16BigEndian(d[(i + 3)..]);
                width = BinaryPrimitives.ReadUInt16BigEndian(d[(i + 5)..]);
                return true;
            }

            i += length;
        }

        return false;
    }

    /// <summary>The IHDR chunk must come first.</summary>
    private static bool TryPng(ReadOnlySpan<byte> d, out int width, out int height)
    {
        width = height = 0;
        if (d.Length < 24 || !d[12..16].SequenceEqual("IHDR"u8))
        {
            return false;
        }

        var w = BinaryPrimitives.ReadUInt32BigEndian(d[16..]);
        var h = BinaryPrimitives.ReadUInt32BigEndian(d[20..]);
        if (w > int.MaxValue || h > int.MaxValue)
        {
            return false;
        }

        (width, height) = ((int)w, (int)h);
        return true;
    }

    /// <summary>The first chunk: VP8 (lossy), VP8L (lossless) or VP8X (extended, canvas size).</summary>
    private static bool TryWebP(ReadOnlySpan<byte> d, out int width, out int height)
    {
        width = height = 0;
        if (d.Length < 30)
        {
            return false;
        }

        var chunk = d[12..16];
        if (chunk.SequenceEqual("VP8 "u8))
        {
            if (d[23] != 0x9D || d[24] != 0x01 || d[25] != 0x2A)
            {
                return false;
            }

            width = BinaryPrimitives.ReadUInt16LittleEndian(d[26..]) & 0x3FFF;
            height = BinaryPrimitives.ReadUInt16LittleEndian(d[28..]) & 0x3FFF;
            return true;
        }

        if (chunk.SequenceEqual("VP8L"u8))
        {
            if (d[20] != 0x2F)
            {
                return false;
            }

            var bits = BinaryPrimitives.ReadUInt32LittleEndian(d[21..]);
            width = (int)(bits & 0x3FFF) + 1;
            height = (int)((bits >> 14) & 0x3FFF) + 1;
            return true;
        }

        if (chunk.SequenceEqual("VP8X"u8))
        {
            width = 1 + (d[24] | (d[25] << 8) | (d[26] << 16));
            height = 1 + (d[27] | (d[28] << 8) | (d[29] << 16));
            return true;
        }

        return false;
    }

    /// <summary>The logical screen; frames are drawn into it.</summary>
    private static bool TryGif(ReadOnlySpan<byte> d, out int width, out int height)
    {
        width = height = 0;
        if (d.Length < 13)
        {
            return false;
        }

        width = BinaryPrimitives.ReadUInt16LittleEndian(d[6..]);
        height = BinaryPrimitives.ReadUInt16LittleEndian(d[8..]);
        return true;
    }
}
