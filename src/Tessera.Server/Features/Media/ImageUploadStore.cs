using System.Buffers;
using System.Globalization;
using System.Security.Cryptography;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;
using SkiaSharp;

namespace Tessera.Server.Features.Media;

/// <summary>
/// Checks an uploaded image and keeps it with three renditions under
/// <c>{Root}/{stackId}/{yyyy}/{MM}/{id}/</c>: <c>original.{jpg|png|webp|gif}</c> (the bytes as
/// uploaded) and <c>small</c>, <c>medium</c>, <c>large</c> — 300, 600 and 1200 px wide at most,
/// never upscaled, aspect kept; JPEG, or PNG when the image has transparent pixels. Everything is
/// written into a dot-prefixed folder under Root and moved into place at the end, so an image is
/// either complete or absent.
/// </summary>
public sealed partial class ImageUploadStore : IDisposable
{
    public const string UrlPrefix = "/media";

    /// <summary>Widths of the small, medium and large renditions.</summary>
    public const int SmallWidth = 300;
    public const int MediumWidth = 600;
    public const int LargeWidth = 1200;

    /// <summary>Longest side any image may have (the JPEG limit).</summary>
    public const int MaxSide = 65_535;

    private const string TempPrefix = ".tmp-";
    private const string DeletedPrefix = ".del-";
    private static readonly TimeSpan StaleAfter = TimeSpan.FromHours(1);

    private readonly MediaOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger<ImageUploadStore> _logger;

    // Decoding holds up to MaxPixels × 4 bytes; bound how many run at once.
    private readonly SemaphoreSlim _decoders = new(Math.Max(1, Environment.ProcessorCount));

    public ImageUploadStore(IOptions<MediaOptions> options, TimeProvider time, ILogger<ImageUploadStore> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options.Value;
        _time = time;
        _logger = logger;
        Root = Path.GetFullPath(_options.Root);
        Directory.CreateDirectory(Root);
        RemoveStaleWork();
    }

    /// <summary>The absolute folder the images live in.</summary>
    public string Root { get; }

    /// <summary>
    /// Reads at most <see cref="MediaOptions.MaxUploadBytes"/> from <paramref name="content"/>, checks
    /// and stores the image. Throws <see cref="ImageRejectedException"/> for an unacceptable upload;
    /// nothing is left on disk after any failure.
    /// </summary>
    public async Task<StoredImage> StoreAsync(int stackId, Stream content, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(stackId);
        ArgumentNullException.ThrowIfNull(content);

        var bytes = await ReadBoundedAsync(content, cancellationToken);
        var header = ReadHeader(bytes);

        await _decoders.WaitAsync(cancellationToken);
        try
        {
            return Store(stackId, bytes, header, cancellationToken);
        }
        finally
        {
            _decoders.Release();
        }
    }

    /// <summary>Removes a stored image (a rollback when the tile could not be saved). False when it is not there.</summary>
    public Task<bool> DeleteAsync(StoredImage image, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(image);
        return DeleteAsync(image.Key, cancellationToken);
    }

    /// <summary>Removes the image with <see cref="StoredImage.Key"/> <paramref name="key"/>. False when it is not there or the key is malformed.</summary>
    public Task<bool> DeleteAsync(string key, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        if (key is null || !KeyPattern().IsMatch(key))
        {
            return Task.FromResult(false);
        }

        var folder = Path.Combine(Root, key);
        if (!Directory.Exists(folder))
        {
            return Task.FromResult(false);
        }

        // Move aside first so the image disappears at once, then delete at leisure.
        var doomed = Path.Combine(Root, DeletedPrefix + Path.GetFileName(folder));
        try
        {
            Directory.Move(folder, doomed);
        }
        catch (DirectoryNotFoundException)
        {
            return Task.FromResult(false);
        }

        TryDeleteFolder(doomed);
        return Task.FromResult(true);
    }

    public void Dispose() => _decoders.Dispose();

    private async Task<byte[]> ReadBoundedAsync(Stream content, CancellationToken cancellationToken)
    {
        var max = _options.MaxUploadBytes;
        if (content.CanSeek && content.Length - content.Position > max)
        {
            throw TooLarge();
        }

        using var buffer = new MemoryStream();
        var chunk = ArrayPool<byte>.Shared.Rent(81_920);
        try
        {
            int read;
            while ((read = await content.ReadAsync(chunk, cancellationToken)) > 0)
            {
                if (buffer.Length + read > max)
                {
                    throw TooLarge();
                }

                buffer.Write(chunk, 0, read);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(chunk);
        }

        return buffer.ToArray();
    }

    private ImageHeader ReadHeader(byte[] bytes)
    {
        var format = ImageHeader.Sniff(bytes)
            ?? throw new ImageRejectedException(ImageRejectedException.UnsupportedImage, "the upload is not a JPEG, PNG, WebP or GIF image");
        if (!ImageHeader.TryRead(bytes, format, out var header))
        {
            throw new ImageRejectedException(ImageRejectedException.CorruptImage, $"the {format.ToString().ToUpperInvariant()} header is damaged");
        }

        if (header.Pixels > _options.MaxPixels || header.Width > MaxSide || header.Height > MaxSide)
        {
            throw new ImageRejectedException(
                ImageRejectedException.TooManyPixels,
                $"the image is {header.Width}x{header.Height} pixels; at most {_options.MaxPixels} pixels and {MaxSide} per side are allowed");
        }

        return header;
    }

    private StoredImage Store(int stackId, byte[] bytes, ImageHeader header, CancellationToken cancellationToken)
    {
        var id = RandomNumberGenerator.GetHexString(32, lowercase: true);
        var now = _time.GetUtcNow();
        var key = string.Create(CultureInfo.InvariantCulture, $"{stackId}/{now:yyyy}/{now:MM}/{id}");
        var temp = Path.Combine(Root, TempPrefix + id);
        try
        {
            Directory.CreateDirectory(temp);
            var extension = header.Format switch
            {
                ImageFormat.Jpeg => "jpg",
                ImageFormat.Png => "png",
                ImageFormat.WebP => "webp",
                _ => "gif",
            };
            File.WriteAllBytes(Path.Combine(temp, "original." + extension), bytes);

            using var decoded = DecodedImage.Decode(bytes, header, _options.MaxPixels, LargeWidth);
            var renditionExtension = decoded.HasAlpha ? "png" : "jpg";
            cancellationToken.ThrowIfCancellationRequested();

            var (largeWidth, largeHeight) = SizeFor(decoded, LargeWidth);
            using var large = decoded.Render(largeWidth, largeHeight);
            var largeFile = Write(temp, key, "large." + renditionExtension, large, decoded.HasAlpha);
            cancellationToken.ThrowIfCancellationRequested();

            var (mediumWidth, mediumHeight) = SizeFor(decoded, MediumWidth);
            using var medium = DecodedImage.Shrink(large, mediumWidth, mediumHeight);
            var mediumFile = Write(temp, key, "medium." + renditionExtension, medium, decoded.HasAlpha);
            cancellationToken.ThrowIfCancellationRequested();

            var (smallWidth, smallHeight) = SizeFor(decoded, SmallWidth);
            using var small = DecodedImage.Shrink(medium, smallWidth, smallHeight);
            var smallFile = Write(temp, key, "small." + renditionExtension, small, decoded.HasAlpha);
            cancellationToken.ThrowIfCancellationRequested();

            var final = Path.Combine(Root, key);
            Directory.CreateDirectory(Path.GetDirectoryName(final)!);
            Directory.Move(temp, final);

            return new StoredImage(
                key,
                stackId,
                id,
                header.Format.ToString().ToLowerInvariant(),
                new ImageFile($"{UrlPrefix}/{key}/original.{extension}", decoded.Width, decoded.Height),
                smallFile,
                mediumFile,
                largeFile);
        }
        catch
        {
            TryDeleteFolder(temp);
            throw;
        }
    }

    /// <summary>A rendition <paramref name="targetWidth"/> wide, or as wide as the original if that is narrower; aspect ratio kept.</summary>
    internal static (int Width, int Height) SizeFor(int width, int height, int targetWidth)
    {
        var w = Math.Min(targetWidth, width);
        return (w, Math.Max(1, (int)Math.Round((double)height * w / width, MidpointRounding.AwayFromZero)));
    }

    private static (int Width, int Height) SizeFor(DecodedImage image, int targetWidth) => SizeFor(image.Width, image.Height, targetWidth);

    private ImageFile Write(string folder, string key, string name, SKBitmap bitmap, bool png)
    {
        using var data = DecodedImage.Encode(bitmap, png, _options.JpegQuality);
        using (var file = new FileStream(Path.Combine(folder, name), FileMode.CreateNew, FileAccess.Write))
        {
            data.SaveTo(file);
        }

        return new ImageFile($"{UrlPrefix}/{key}/{name}", bitmap.Width, bitmap.Height);
    }

    /// <summary>Work folders a crash left behind (older than an hour, so never one still being written).</summary>
    private void RemoveStaleWork()
    {
        var cutoff = _time.GetUtcNow().UtcDateTime - StaleAfter;
        foreach (var folder in Directory.EnumerateDirectories(Root, ".*"))
        {
            var name = Path.GetFileName(folder);
            if ((name.StartsWith(TempPrefix, StringComparison.Ordinal) || name.StartsWith(DeletedPrefix, StringComparison.Ordinal))
                && Directory.GetLastWriteTimeUtc(folder) < cutoff)
            {
                TryDeleteFolder(folder);
            }
        }
    }

    private void TryDeleteFolder(string folder)
    {
        try
        {
            if (Directory.Exists(folder))
            {
                Directory.Delete(folder, recursive: true);
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            LogCleanupFailed(_logger, e, folder);
        }
    }

    private ImageRejectedException TooLarge() =>
        new(ImageRejectedException.ImageTooLarge, $"the upload is larger than {_options.MaxUploadBytes} bytes");

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not remove the media work folder {Folder}")]
    private static partial void LogCleanupFailed(ILogger logger, Exception exception, string folder);

    [GeneratedRegex("^[1-9][0-9]{0,9}/[0-9]{4}/[0-9]{2}/[0-9a-f]{32}$", RegexOptions.CultureInvariant)]
    private static partial Regex KeyPattern();
}
