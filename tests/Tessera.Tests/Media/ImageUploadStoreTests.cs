using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using SkiaSharp;
using Tessera.Server.Features.Media;

namespace Tessera.Tests.Media;

public sealed class ImageUploadStoreTests : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "tessera-tests", $"media-{Guid.NewGuid():N}");
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 3, 5, 10, 0, 0, TimeSpan.Zero));
    private readonly ImageUploadStore _store;

    public ImageUploadStoreTests()
    {
        _store = NewStore(new MediaOptions { Root = _root });
    }

    public void Dispose()
    {
        _store.Dispose();
        if (Directory.Exists(_root))
        {
            Directory.Delete(_root, recursive: true);
        }
    }

    [Fact]
    public async Task Jpeg_gets_small_medium_and_large_renditions_bounded_by_width()
    {
        var bytes = TestImages.Jpeg(2000, 1000);

        var image = await StoreAsync(7, bytes);

        Assert.Equal("jpeg", image.Format);
        Assert.Equal((2000, 1000), (image.Original.Width, image.Original.Height));
        AssertRendition(image.Small, 300, 150, ".jpg");
        AssertRendition(image.Medium, 600, 300, ".jpg");
        AssertRendition(image.Large, 1200, 600, ".jpg");
        Assert.EndsWith("/original.jpg", image.Original.Url, StringComparison.Ordinal);
        Assert.Equal(bytes, await File.ReadAllBytesAsync(PathOf(image.Original.Url)));
    }

    [Fact]
    public async Task Files_live_under_stack_year_month_and_a_random_id()
    {
        var image = await StoreAsync(7, TestImages.Jpeg(320, 200));

        Assert.Matches("^[0-9a-f]{32}$", image.Id);
        Assert.Equal($"7/2026/03/{image.Id}", image.Key);
        Assert.Equal($"/media/7/2026/03/{image.Id}/small.jpg", image.Small.Url);
        Assert.Equal($"/media/7/2026/03/{image.Id}/medium.jpg", image.Medium.Url);
        Assert.Equal($"/media/7/2026/03/{image.Id}/large.jpg", image.Large.Url);
        var folder = Path.Combine(_root, "7", "2026", "03", image.Id);
        Assert.Equal(
            ["large.jpg", "medium.jpg", "original.jpg", "small.jpg"],
            Directory.GetFiles(folder).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        Assert.Equal(["7"], Directory.GetFileSystemEntries(_root).Select(Path.GetFileName));
    }

    [Fact]
    public async Task Narrow_image_is_never_upscaled()
    {
        var image = await StoreAsync(1, TestImages.Jpeg(400, 300));

        AssertRendition(image.Small, 300, 225, ".jpg");
        AssertRendition(image.Medium, 400, 300, ".jpg");
        AssertRendition(image.Large, 400, 300, ".jpg");
    }

    [Fact]
    public async Task Png_with_transparency_gets_png_renditions_that_keep_it()
    {
        var image = await StoreAsync(1, TestImages.TransparentPng(800, 400));

        Assert.Equal("png", image.Format);
        Assert.EndsWith("/original.png", image.Original.Url, StringComparison.Ordinal);
        AssertRendition(image.Small, 300, 150, ".png");
        AssertRendition(image.Medium, 600, 300, ".png");
        AssertRendition(image.Large, 800, 400, ".png");
        using var small = SKBitmap.Decode(PathOf(image.Small.Url));
        Assert.Equal(0, small.GetPixel(30, 75).Alpha);
        Assert.Equal(SKColors.Red, small.GetPixel(270, 75));
    }

    [Fact]
    public async Task Opaque_png_gets_jpeg_renditions()
    {
        var image = await StoreAsync(1, TestImages.OpaquePng(640, 480));

        Assert.EndsWith("/original.png", image.Original.Url, StringComparison.Ordinal);
        AssertRendition(image.Small, 300, 225, ".jpg");
        AssertRendition(image.Large, 640, 480, ".jpg");
    }

    [Fact]
    public async Task Webp_is_accepted_and_resized()
    {
        var image = await StoreAsync(1, TestImages.Webp(1600, 900));

        Assert.Equal("webp", image.Format);
        Assert.EndsWith("/original.webp", image.Original.Url, StringComparison.Ordinal);
        AssertRendition(image.Small, 300, 169, ".jpg");
        AssertRendition(image.Medium, 600, 338, ".jpg");
        AssertRendition(image.Large, 1200, 675, ".jpg");
    }

    [Fact]
    public async Task Gif_renditions_show_its_first_frame()
    {
        var image = await StoreAsync(1, TestImages.TwoFrameGif(500, 250));

        Assert.Equal("gif", image.Format);
        Assert.EndsWith("/original.gif", image.Original.Url, StringComparison.Ordinal);
        AssertRendition(image.Small, 300, 150, ".jpg");
        AssertRendition(image.Large, 500, 250, ".jpg");
        using var large = SKBitmap.Decode(PathOf(image.Large.Url));
        AssertNear(SKColors.Red, large.GetPixel(250, 125));
    }

    [Fact]
    public async Task Jpeg_exif_orientation_is_applied()
    {
        // Stored 200x100, left half red; orientation 6 shows it turned a quarter clockwise: 100x200, red on top.
        var image = await StoreAsync(1, TestImages.WithExifOrientation(TestImages.TwoColourJpeg(200, 100), 6));

        Assert.Equal((100, 200), (image.Original.Width, image.Original.Height));
        AssertRendition(image.Large, 100, 200, ".jpg");
        using var large = SKBitmap.Decode(PathOf(image.Large.Url));
        AssertNear(SKColors.Red, large.GetPixel(50, 30));
        AssertNear(SKColors.Blue, large.GetPixel(50, 170));
    }

    public static TheoryData<string, string> Damaged => new()
    {
        { "jpeg-header-then-garbage-scan", ImageRejectedException.CorruptImage },
        { "jpeg-signature-then-garbage", ImageRejectedException.CorruptImage },
        { "truncated-png", ImageRejectedException.CorruptImage },
        { "text-named-jpg", ImageRejectedException.UnsupportedImage },
        { "svg", ImageRejectedException.UnsupportedImage },
        { "empty", ImageRejectedException.UnsupportedImage },
    };

    [Theory]
    [MemberData(nameof(Damaged))]
    public async Task Damaged_or_foreign_upload_is_rejected_and_leaves_nothing_behind(string kind, string reason)
    {
        var bytes = kind switch
        {
            "jpeg-header-then-garbage-scan" => TestImages.JpegWithGarbageScan(2000, 1000),
            "jpeg-signature-then-garbage" => TestImages.JpegSignatureThenGarbage(),
            "truncated-png" => TestImages.OpaquePng(400, 300)[..200],
            "text-named-jpg" => "hello, this is holiday.jpg but really text\n"u8.ToArray(),
            "svg" => "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"10\" height=\"10\"/>"u8.ToArray(),
            _ => [],
        };

        var rejected = await Assert.ThrowsAsync<ImageRejectedException>(() => StoreAsync(1, bytes));

        Assert.Equal(reason, rejected.Reason);
        AssertRootEmpty();
    }

    [Fact]
    public async Task Upload_over_the_byte_limit_is_rejected_without_reading_it_all()
    {
        using var store = NewStore(new MediaOptions { Root = _root, MaxUploadBytes = 10_000 });
        var bytes = TestImages.NoisyJpeg(1600, 1200);
        // Larger than what the store may read past the limit, so reading it all would show.
        Assert.True(bytes.Length > 10_000 + (128 * 1024), $"the test image is only {bytes.Length} bytes");
        using var unseekable = new ForwardOnlyStream(bytes);

        var rejected = await Assert.ThrowsAsync<ImageRejectedException>(() => store.StoreAsync(1, unseekable, CancellationToken.None));

        Assert.Equal(ImageRejectedException.ImageTooLarge, rejected.Reason);
        Assert.True(unseekable.BytesRead <= 10_000 + (128 * 1024), $"read {unseekable.BytesRead} bytes");
        Assert.True(unseekable.BytesRead < bytes.Length, "the whole upload was read");
        await using var seekable = new MemoryStream(bytes);
        rejected = await Assert.ThrowsAsync<ImageRejectedException>(() => store.StoreAsync(1, seekable, CancellationToken.None));
        Assert.Equal(ImageRejectedException.ImageTooLarge, rejected.Reason);
        AssertRootEmpty();
    }

    [Fact]
    public async Task Upload_of_exactly_the_byte_limit_is_accepted()
    {
        var bytes = TestImages.Jpeg(100, 100);
        using var store = NewStore(new MediaOptions { Root = _root, MaxUploadBytes = bytes.Length });
        await using var content = new MemoryStream(bytes);

        var image = await store.StoreAsync(1, content, CancellationToken.None);

        Assert.Equal(100, image.Large.Width);
    }

    public static TheoryData<string> Bombs => ["png", "jpeg", "gif", "webp"];

    [Theory]
    [MemberData(nameof(Bombs))]
    public async Task Header_declaring_too_many_pixels_is_rejected_before_decoding(string format)
    {
        // Nothing but a header: decoding would fail as corrupt, so this reason proves no decode was tried.
        var bytes = format switch
        {
            "png" => TestImages.PngHeaderOnly(30_000, 30_000),
            "jpeg" => TestImages.JpegHeaderOnly(60_000, 60_000),
            "gif" => TestImages.GifHeaderOnly(65_000, 65_000),
            _ => TestImages.WebpHeaderOnly(16_000, 16_000),
        };

        var rejected = await Assert.ThrowsAsync<ImageRejectedException>(() => StoreAsync(1, bytes));

        Assert.Equal(ImageRejectedException.TooManyPixels, rejected.Reason);
        AssertRootEmpty();
    }

    [Fact]
    public async Task Pixel_limit_is_configurable()
    {
        using var store = NewStore(new MediaOptions { Root = _root, MaxPixels = 1_000_000 });
        await using var content = new MemoryStream(TestImages.Jpeg(2000, 1000));

        var rejected = await Assert.ThrowsAsync<ImageRejectedException>(() => store.StoreAsync(1, content, CancellationToken.None));

        Assert.Equal(ImageRejectedException.TooManyPixels, rejected.Reason);
        Assert.Contains("2000x1000", rejected.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Failure_after_writing_removes_the_work_folder()
    {
        // A file where the stack's folder should be: the final move fails after every file was written.
        Directory.CreateDirectory(_root);
        await File.WriteAllTextAsync(Path.Combine(_root, "9"), "in the way");

        await Assert.ThrowsAnyAsync<IOException>(() => StoreAsync(9, TestImages.Jpeg(800, 600)));

        Assert.Equal(["9"], Directory.GetFileSystemEntries(_root).Select(Path.GetFileName));
    }

    [Fact]
    public async Task Delete_removes_a_stored_image_once()
    {
        var image = await StoreAsync(3, TestImages.Jpeg(640, 480));
        var kept = await StoreAsync(3, TestImages.Jpeg(640, 480));

        Assert.True(await _store.DeleteAsync(image));

        Assert.False(Directory.Exists(Path.Combine(_root, image.Key)));
        Assert.False(File.Exists(PathOf(image.Small.Url)));
        Assert.True(File.Exists(PathOf(kept.Small.Url)));
        Assert.False(await _store.DeleteAsync(image.Key));
        Assert.DoesNotContain(Directory.GetDirectories(_root), d => Path.GetFileName(d).StartsWith('.'));
    }

    [Theory]
    [InlineData("../victim")]
    [InlineData("3/2026/03/..")]
    [InlineData("3/2026/03")]
    [InlineData("")]
    public async Task Delete_refuses_malformed_keys(string key)
    {
        await StoreAsync(3, TestImages.Jpeg(64, 64));
        // A folder beside the root: a key that climbs out must not reach it.
        var victim = Path.GetFullPath(Path.Combine(_root, "..", "victim"));
        Directory.CreateDirectory(victim);

        try
        {
            Assert.False(await _store.DeleteAsync(key));

            Assert.True(Directory.Exists(victim));
            Assert.Single(Directory.GetDirectories(Path.Combine(_root, "3", "2026", "03")));
        }
        finally
        {
            Directory.Delete(victim, recursive: true);
        }
    }

    [Fact]
    public void Rendition_sizes_keep_the_aspect_ratio_and_never_upscale()
    {
        Assert.Equal((300, 150), ImageUploadStore.SizeFor(2000, 1000, 300));
        Assert.Equal((400, 300), ImageUploadStore.SizeFor(400, 300, 600));
        Assert.Equal((300, 1), ImageUploadStore.SizeFor(30_000, 10, 300));
        Assert.Equal((1, 1), ImageUploadStore.SizeFor(1, 1, 1200));
    }

    private ImageUploadStore NewStore(MediaOptions options) =>
        new(Options.Create(options), _time, NullLogger<ImageUploadStore>.Instance);

    private async Task<StoredImage> StoreAsync(int stackId, byte[] bytes)
    {
        await using var content = new MemoryStream(bytes);
        return await _store.StoreAsync(stackId, content, CancellationToken.None);
    }

    private string PathOf(string url) =>
        Path.Combine(_root, url["/media/".Length..].Replace('/', Path.DirectorySeparatorChar));

    private void AssertRendition(ImageFile file, int width, int height, string extension)
    {
        Assert.Equal((width, height), (file.Width, file.Height));
        Assert.EndsWith(extension, file.Url, StringComparison.Ordinal);
        using var bitmap = SKBitmap.Decode(PathOf(file.Url));
        Assert.NotNull(bitmap);
        Assert.Equal((width, height), (bitmap.Width, bitmap.Height));
    }

    private void AssertRootEmpty() =>
        Assert.Empty(Directory.Exists(_root) ? Directory.EnumerateFileSystemEntries(_root, "*", SearchOption.AllDirectories) : []);

    private static void AssertNear(SKColor expected, SKColor actual)
    {
        var close = Math.Abs(expected.Red - actual.Red) < 40 && Math.Abs(expected.Green - actual.Green) < 40 && Math.Abs(expected.Blue - actual.Blue) < 40;
        Assert.True(close, $"expected about {expected}, got {actual}");
    }

    /// <summary>A stream that cannot seek and counts what was read from it.</summary>
    private sealed class ForwardOnlyStream(byte[] bytes) : Stream
    {
        private readonly MemoryStream _inner = new(bytes);

        public long BytesRead { get; private set; }

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count)
        {
            var read = _inner.Read(buffer, offset, count);
            BytesRead += read;
            return read;
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                _inner.Dispose();
            }

            base.Dispose(disposing);
        }
    }
}
