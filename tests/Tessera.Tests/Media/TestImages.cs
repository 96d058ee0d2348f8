using System.Buffers.Binary;
using SkiaSharp;

namespace Tessera.Tests.Media;

/// <summary>Images made in the test: encoded with SkiaSharp, GIFs and damaged files built by hand.</summary>
internal static class TestImages
{
    public static byte[] Jpeg(int width, int height) => Gradient(width, height, SKEncodedImageFormat.Jpeg);

    public static byte[] Webp(int width, int height) => Gradient(width, height, SKEncodedImageFormat.Webp);

    public static byte[] OpaquePng(int width, int height) => Gradient(width, height, SKEncodedImageFormat.Png);

    /// <summary>Left half fully transparent, right half opaque red.</summary>
    public static byte[] TransparentPng(int width, int height)
    {
        using var bitmap = new SKBitmap(new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Premul));
        using (var canvas = new SKCanvas(bitmap))
        {
            canvas.Clear(SKColors.Transparent);
            using var red = new SKPaint { Color = SKColors.Red };
            canvas.DrawRect(width / 2f, 0, width / 2f, height, red);
        }

        return Encode(bitmap, SKEncodedImageFormat.Png);
    }

    /// <summary>Left half red, right half blue.</summary>
    public static byte[] TwoColourJpeg(int width, int height)
    {
        using var bitmap = new SKBitmap(new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Opaque));
        using (var canvas = new SKCanvas(bitmap))
        {
            canvas.Clear(SKColors.Red);
            using var blue = new SKPaint { Color = SKColors.Blue };
            canvas.DrawRect(width / 2f, 0, width / 2f, height, blue);
        }

        return Encode(bitmap, SKEncodedImageFormat.Jpeg);
    }

    /// <summary>A JPEG with an APP1 Exif segment holding only the orientation tag, right after SOI.</summary>
    public static byte[] WithExifOrientation(byte[] jpeg, ushort orientation)
    {
        byte[] tiff =
        [
            (byte)'M', (byte)'M', 0x00, 0x2A, 0x00, 0x00, 0x00, 0x08, // big-endian TIFF, IFD0 at 8
            0x00, 0x01, // one entry
            0x01, 0x12, 0x00, 0x03, 0x00, 0x00, 0x00, 0x01, // Orientation, SHORT, count 1
            (byte)(orientation >> 8), (byte)orientation, 0x00, 0x00,
            0x00, 0x00, 0x00, 0x00, // no next IFD
        ];
        var payload = "Exif\0\0"u8.ToArray().Concat(tiff).ToArray();
        var length = (ushort)(payload.Length + 2);
        byte[] segment = [0xFF, 0xE1, (byte)(length >> 8), (byte)length, .. payload];
        return [.. jpeg[..2], .. segment, .. jpeg[2..]];
    }

    /// <summary>
    /// A GIF89a with a red first frame and a blue second one, LZW-coded without compression: a clear
    /// code before every two pixels keeps the code width at 3 bits.
    /// </summary>
    public static byte[] TwoFrameGif(int width, int height)
    {
        using var gif = new MemoryStream();
        gif.Write("GIF89a"u8);
        WriteUInt16(gif, width);
        WriteUInt16(gif, height);
        gif.Write([0x80, 0x00, 0x00]); // global colour table of 2 entries
        gif.Write([0xFF, 0x00, 0x00, 0x00, 0x00, 0xFF]); // red, blue
        foreach (var colour in new byte[] { 0, 1 })
        {
            gif.WriteByte(0x2C);
            WriteUInt16(gif, 0);
            WriteUInt16(gif, 0);
            WriteUInt16(gif, width);
            WriteUInt16(gif, height);
            gif.WriteByte(0x00);
            gif.WriteByte(2); // LZW minimum code size: clear = 4, end = 5
            var codes = new List<int>();
            for (var i = 0; i < width * height; i++)
            {
                if (i % 2 == 0)
                {
                    codes.Add(4);
                }

                codes.Add(colour);
            }

            codes.Add(5);
            var packed = PackCodes(codes, 3);
            for (var offset = 0; offset < packed.Length; offset += 255)
            {
                var block = packed.AsSpan(offset, Math.Min(255, packed.Length - offset));
                gif.WriteByte((byte)block.Length);
                gif.Write(block);
            }

            gif.WriteByte(0x00);
        }

        gif.WriteByte(0x3B);
        return gif.ToArray();
    }

    /// <summary>A PNG signature and an IHDR declaring the size, followed by bytes that are no image data.</summary>
    public static byte[] PngHeaderOnly(int width, int height)
    {
        var bytes = new byte[64];
        byte[] signature = [0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A, 0x00, 0x00, 0x00, 0x0D, (byte)'I', (byte)'H', (byte)'D', (byte)'R'];
        signature.CopyTo(bytes, 0);
        BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(16), width);
        BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(20), height);
        bytes[24] = 8;
        bytes[25] = 6;
        return bytes;
    }

    /// <summary>SOI, a baseline frame header declaring the size, then junk.</summary>
    public static byte[] JpegHeaderOnly(int width, int height)
    {
        byte[] sof = [0xFF, 0xD8, 0xFF, 0xC0, 0x00, 0x11, 0x08, (byte)(height >> 8), (byte)height, (byte)(width >> 8), (byte)width, 0x03, 1, 0x22, 0, 2, 0x11, 1, 3, 0x11, 1];
        return [.. sof, .. Garbage(64)];
    }

    public static byte[] GifHeaderOnly(int width, int height)
    {
        var bytes = "GIF89a"u8.ToArray().Concat(new byte[32]).ToArray();
        BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(6), (ushort)width);
        BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(8), (ushort)height);
        return bytes;
    }

    /// <summary>An extended WebP (VP8X) whose canvas is the given size.</summary>
    public static byte[] WebpHeaderOnly(int width, int height)
    {
        var bytes = new byte[64];
        "RIFF"u8.CopyTo(bytes);
        BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(4), 56);
        "WEBPVP8X"u8.CopyTo(bytes.AsSpan(8));
        BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(16), 10);
        WriteUInt24(bytes.AsSpan(24), width - 1);
        WriteUInt24(bytes.AsSpan(27), height - 1);
        return bytes;
    }

    /// <summary>A real JPEG cut right after its scan header, followed by junk instead of the scan.</summary>
    public static byte[] JpegWithGarbageScan(int width, int height)
    {
        var jpeg = Jpeg(width, height);
        var i = 2;
        while (jpeg[i + 1] != 0xDA)
        {
            i += 2 + BinaryPrimitives.ReadUInt16BigEndian(jpeg.AsSpan(i + 2));
        }

        var scanStart = i + 2 + BinaryPrimitives.ReadUInt16BigEndian(jpeg.AsSpan(i + 2));
        return [.. jpeg[..scanStart], .. Garbage(512)];
    }

    /// <summary>SOI and a JFIF segment, then junk where the frame header should be.</summary>
    public static byte[] JpegSignatureThenGarbage() =>
        [0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x10, (byte)'J', (byte)'F', (byte)'I', (byte)'F', 0, 1, 1, 0, 0, 1, 0, 1, 0, 0, .. Garbage(2048)];

    /// <summary>Deterministic junk without 0xFF bytes, so it can never look like a JPEG marker.</summary>
    public static byte[] Garbage(int length)
    {
        var random = new Random(42);
        var bytes = new byte[length];
        random.NextBytes(bytes);
        for (var i = 0; i < bytes.Length; i++)
        {
            bytes[i] &= 0x7F;
        }

        return bytes;
    }

    /// <summary>An opaque diagonal gradient.</summary>
    /// <summary>Random pixels (fixed seed): a JPEG that barely compresses, for size limits.</summary>
    public static byte[] NoisyJpeg(int width, int height)
    {
        var random = new Random(7);
        using var bitmap = new SKBitmap(new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Opaque));
        var pixels = new byte[width * height * 4];
        random.NextBytes(pixels);
        for (var i = 3; i < pixels.Length; i += 4)
        {
            pixels[i] = 255;
        }

        System.Runtime.InteropServices.Marshal.Copy(pixels, 0, bitmap.GetPixels(), pixels.Length);
        return Encode(bitmap, SKEncodedImageFormat.Jpeg);
    }

    private static byte[] Gradient(int width, int height, SKEncodedImageFormat format)
    {
        using var bitmap = new SKBitmap(new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Opaque));
        using (var canvas = new SKCanvas(bitmap))
        {
            using var shader = SKShader.CreateLinearGradient(new SKPoint(0, 0), new SKPoint(width, height), [SKColors.Orange, SKColors.Teal], SKShaderTileMode.Clamp);
            using var paint = new SKPaint { Shader = shader };
            canvas.DrawRect(0, 0, width, height, paint);
        }

        return Encode(bitmap, format);
    }

    private static byte[] Encode(SKBitmap bitmap, SKEncodedImageFormat format)
    {
        using var data = bitmap.Encode(format, 90);
        return data.ToArray();
    }

    private static byte[] PackCodes(List<int> codes, int width)
    {
        var bytes = new List<byte>();
        int buffer = 0, bits = 0;
        foreach (var code in codes)
        {
            buffer |= code << bits;
            bits += width;
            while (bits >= 8)
            {
                bytes.Add((byte)buffer);
                buffer >>= 8;
                bits -= 8;
            }
        }

        if (bits > 0)
        {
            bytes.Add((byte)buffer);
        }

        return [.. bytes];
    }

    private static void WriteUInt16(Stream stream, int value)
    {
        stream.WriteByte((byte)value);
        stream.WriteByte((byte)(value >> 8));
    }

    private static void WriteUInt24(Span<byte> target, int value)
    {
        target[0] = (byte)value;
        target[1] = (byte)(value >> 8);
        target[2] = (byte)(value >> 16);
    }
}
