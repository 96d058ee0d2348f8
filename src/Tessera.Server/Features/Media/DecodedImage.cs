using SkiaSharp;

namespace Tessera.Server.Features.Media;

/// <summary>
/// An upload decoded once (a GIF's first frame) into sRGB RGBA pixels, possibly at a reduced scale when
/// the codec supports it (JPEG, WebP) and the renditions need no more. Renditions are drawn from it
/// with its EXIF orientation applied.
/// </summary>
internal sealed class DecodedImage : IDisposable
{
    private static readonly SKSamplingOptions Sampling = new(SKFilterMode.Linear, SKMipmapMode.Linear);
    private static readonly SKColorSpace Srgb = SKColorSpace.CreateSrgb();

    private DecodedImage(SKBitmap pixels, SKEncodedOrigin origin, int width, int height, bool hasAlpha)
    {
        Pixels = pixels;
        Origin = origin;
        Width = width;
        Height = height;
        HasAlpha = hasAlpha;
    }

    /// <summary>The decoded pixels as stored in the file (not yet oriented).</summary>
    public SKBitmap Pixels { get; }

    public SKEncodedOrigin Origin { get; }

    /// <summary>The displayed width of the original at full resolution (orientation applied).</summary>
    public int Width { get; }

    public int Height { get; }

    /// <summary>True when some pixel is not fully opaque.</summary>
    public bool HasAlpha { get; }

    /// <summary>Decodes an image whose header passed the limits; needs pixels only up to <paramref name="neededWidth"/> displayed.</summary>
    public static DecodedImage Decode(byte[] bytes, ImageHeader header, long maxPixels, int neededWidth)
    {
        using var data = SKData.CreateCopy(bytes);
        using var codec = SKCodec.Create(data) ?? throw Corrupt(header.Format);
        if (FormatOf(codec.EncodedFormat) != header.Format)
        {
            throw Corrupt(header.Format);
        }

        var info = codec.Info;
        if ((long)info.Width * info.Height > maxPixels)
        {
            throw new ImageRejectedException(ImageRejectedException.TooManyPixels, $"the image has {info.Width}x{info.Height} pixels; at most {maxPixels} are allowed");
        }

        var origin = codec.EncodedOrigin;
        var swap = SwapsAxes(origin);
        var (width, height) = swap ? (info.Height, info.Width) : (info.Width, info.Height);
        var alpha = info.AlphaType == SKAlphaType.Opaque ? SKAlphaType.Opaque : SKAlphaType.Premul;

        var size = ScaledSize(codec, width, swap, neededWidth);
        var result = TryDecode(codec, size, alpha, out var pixels);
        if (result == SKCodecResult.InvalidScale && size != info.Size)
        {
            result = TryDecode(codec, info.Size, alpha, out pixels);
        }

        if (result != SKCodecResult.Success || pixels is null)
        {
            pixels?.Dispose();
            throw Corrupt(header.Format);
        }

        return new DecodedImage(pixels, origin, width, height, alpha != SKAlphaType.Opaque && AnyTranslucent(pixels));
    }

    /// <summary>A rendition of <paramref name="width"/> × <paramref name="height"/> displayed pixels.</summary>
    public SKBitmap Render(int width, int height) => Draw(Pixels, Origin, width, height);

    /// <summary>A smaller copy of an already oriented bitmap.</summary>
    public static SKBitmap Shrink(SKBitmap source, int width, int height) => Draw(source, SKEncodedOrigin.TopLeft, width, height);

    /// <summary>PNG when the image has transparency, JPEG otherwise.</summary>
    public static SKData Encode(SKBitmap bitmap, bool png, int jpegQuality) =>
        bitmap.Encode(png ? SKEncodedImageFormat.Png : SKEncodedImageFormat.Jpeg, png ? 100 : jpegQuality)
        ?? throw new InvalidOperationException($"encoding a {bitmap.Width}x{bitmap.Height} rendition failed");

    public void Dispose() => Pixels.Dispose();

    private static SKCodecResult TryDecode(SKCodec codec, SKSizeI size, SKAlphaType alpha, out SKBitmap? pixels)
    {
        var bitmap = new SKBitmap();
        var target = new SKImageInfo(size.Width, size.Height, SKColorType.Rgba8888, alpha, Srgb);
        if (!bitmap.TryAllocPixels(target))
        {
            bitmap.Dispose();
            throw new InsufficientMemoryException($"no memory for a {size.Width}x{size.Height} image");
        }

        var result = codec.GetPixels(target, bitmap.GetPixels());
        if (result != SKCodecResult.Success)
        {
            bitmap.Dispose();
            pixels = null;
            return result;
        }

        pixels = bitmap;
        return result;
    }

    /// <summary>The smallest size the codec can decode to that still gives <paramref name="neededWidth"/> displayed pixels.</summary>
    private static SKSizeI ScaledSize(SKCodec codec, int displayWidth, bool swap, int neededWidth)
    {
        var full = codec.Info.Size;
        if (displayWidth <= neededWidth)
        {
            return full;
        }

        var scaled = codec.GetScaledDimensions((float)neededWidth / displayWidth);
        var scaledDisplayWidth = swap ? scaled.Height : scaled.Width;
        return scaledDisplayWidth >= neededWidth && scaled.Width <= full.Width && scaled.Height <= full.Height ? scaled : full;
    }

    private static SKBitmap Draw(SKBitmap source, SKEncodedOrigin origin, int width, int height)
    {
        var (displayWidth, displayHeight) = SwapsAxes(origin) ? (source.Height, source.Width) : (source.Width, source.Height);
        var alpha = source.AlphaType == SKAlphaType.Opaque ? SKAlphaType.Opaque : SKAlphaType.Premul;
        var bitmap = new SKBitmap(new SKImageInfo(width, height, SKColorType.Rgba8888, alpha, Srgb));
        try
        {
            using var canvas = new SKCanvas(bitmap);
            canvas.Clear(SKColors.Transparent);
            canvas.SetMatrix(SKMatrix.CreateScale((float)width / displayWidth, (float)height / displayHeight)
                .PreConcat(OriginMatrix(origin, source.Width, source.Height)));
            source.SetImmutable();
            using var image = SKImage.FromBitmap(source);
            canvas.DrawImage(image, 0, 0, Sampling, null);
            canvas.Flush();
            return bitmap;
        }
        catch
        {
            bitmap.Dispose();
            throw;
        }
    }

    /// <summary>Maps stored pixel coordinates (<paramref name="w"/> × <paramref name="h"/>) to displayed ones (EXIF orientation 1–8).</summary>
    private static SKMatrix OriginMatrix(SKEncodedOrigin origin, float w, float h) => origin switch
    {
        SKEncodedOrigin.TopRight => new SKMatrix(-1, 0, w, 0, 1, 0, 0, 0, 1),
        SKEncodedOrigin.BottomRight => new SKMatrix(-1, 0, w, 0, -1, h, 0, 0, 1),
        SKEncodedOrigin.BottomLeft => new SKMatrix(1, 0, 0, 0, -1, h, 0, 0, 1),
        SKEncodedOrigin.LeftTop => new SKMatrix(0, 1, 0, 1, 0, 0, 0, 0, 1),
        SKEncodedOrigin.RightTop => new SKMatrix(0, -1, h, 1, 0, 0, 0, 0, 1),
        SKEncodedOrigin.RightBottom => new SKMatrix(0, -1, h, -1, 0, w, 0, 0, 1),
        SKEncodedOrigin.LeftBottom => new SKMatrix(0, 1, 0, -1, 0, w, 0, 0, 1),
        _ => SKMatrix.Identity,
    };

    private static bool SwapsAxes(SKEncodedOrigin origin) =>
        origin is SKEncodedOrigin.LeftTop or SKEncodedOrigin.RightTop or SKEncodedOrigin.RightBottom or SKEncodedOrigin.LeftBottom;

    private static bool AnyTranslucent(SKBitmap bitmap)
    {
        var span = bitmap.GetPixelSpan();
        for (var i = 3; i < span.Length; i += 4)
        {
            if (span[i] != 0xFF)
            {
                return true;
            }
        }

        return false;
    }

    private static ImageFormat? FormatOf(SKEncodedImageFormat format) => format switch
    {
        SKEncodedImageFormat.Jpeg => ImageFormat.Jpeg,
        SKEncodedImageFormat.Png => ImageFormat.Png,
        SKEncodedImageFormat.Webp => ImageFormat.WebP,
        SKEncodedImageFormat.Gif => ImageFormat.Gif,
        _ => null,
    };

    private static ImageRejectedException Corrupt(ImageFormat format) =>
        new(ImageRejectedException.CorruptImage, $"the {format.ToString().ToUpperInvariant()} image is damaged and cannot be decoded");
}
