using System.Net;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Tessera.Server.Features.Media;
using Tessera.Tests.Infrastructure;

namespace Tessera.Tests.Media;

[Collection(ApiCollection.Name)]
public sealed class MediaServingTests(TesseraFactory factory) : IAsyncLifetime
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "tessera-tests", $"media-{Guid.NewGuid():N}");
    private WebApplicationFactory<Program> _server = null!;

    private string Root => Path.Combine(_folder, "root");

    public Task InitializeAsync()
    {
        _server = factory.With(("Tessera:Media:Root", Root));
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        if (Directory.Exists(_folder))
        {
            Directory.Delete(_folder, recursive: true);
        }
    }

    [Fact]
    public void Media_root_is_created_at_start()
    {
        using var client = _server.CreateClient();

        Assert.True(Directory.Exists(Root));
        Assert.Equal(Root, _server.Services.GetRequiredService<ImageUploadStore>().Root);
    }

    [Theory]
    [InlineData("Tessera:Media:JpegQuality", "0")]
    [InlineData("Tessera:Media:MaxUploadBytes", "0")]
    [InlineData("Tessera:Media:MaxPixels", "-1")]
    [InlineData("Tessera:Media:Root", " ")]
    public async Task Invalid_media_settings_stop_the_start(string key, string value)
    {
        await using var invalid = _server.WithWebHostBuilder(b => b.UseSetting(key, value));

        var error = Assert.Throws<OptionsValidationException>(() => invalid.CreateClient());

        Assert.Contains("Tessera:Media", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Stored_renditions_are_served_with_their_type_nosniff_and_immutable_caching()
    {
        using var client = _server.CreateClient();
        var store = _server.Services.GetRequiredService<ImageUploadStore>();
        await using var jpeg = new MemoryStream(TestImages.Jpeg(900, 600));
        var photo = await store.StoreAsync(4, jpeg, CancellationToken.None);
        await using var png = new MemoryStream(TestImages.TransparentPng(200, 100));
        var logo = await store.StoreAsync(4, png, CancellationToken.None);

        foreach (var (url, type) in new[] { (photo.Small.Url, "image/jpeg"), (photo.Large.Url, "image/jpeg"), (logo.Medium.Url, "image/png") })
        {
            using var response = await client.GetAsync(url);

            Assert.True(response.StatusCode == HttpStatusCode.OK, $"{url}: {(int)response.StatusCode}");
            Assert.Equal(type, response.Content.Headers.ContentType?.MediaType);
            Assert.Equal("nosniff", string.Join(",", response.Headers.GetValues("X-Content-Type-Options")));
            Assert.Equal("public, max-age=31536000, immutable", response.Headers.CacheControl?.ToString());
            Assert.Equal(await File.ReadAllBytesAsync(Path.Combine(Root, url["/media/".Length..])), await response.Content.ReadAsByteArrayAsync());
        }
    }

    [Fact]
    public async Task The_original_upload_with_its_metadata_is_stored_but_never_served()
    {
        using var client = _server.CreateClient();
        var store = _server.Services.GetRequiredService<ImageUploadStore>();
        await using var jpeg = new MemoryStream(TestImages.Jpeg(900, 600));
        var photo = await store.StoreAsync(4, jpeg, CancellationToken.None);

        Assert.True(File.Exists(Path.Combine(Root, photo.Original.Url["/media/".Length..])));
        using var response = await client.GetAsync(photo.Original.Url);
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    /// <summary>
    /// Paths as the middleware sees them after the server decoded the URL (Kestrel also removes dot
    /// segments; these arrive as given here), so the file provider itself must refuse them.
    /// </summary>
    [Theory]
    [InlineData("/media/../secret.jpg")]
    [InlineData("/media/4/../../secret.jpg")]
    [InlineData("/media/./../secret.jpg")]
    [InlineData("/media/..\\secret.jpg")]
    [InlineData("/media/..%2fsecret.jpg")]
    [InlineData("/media/../appsettings.json")]
    [InlineData("/media/4/../../appsettings.json")]
    [InlineData("/media/.tmp-0123/small.jpg")]
    [InlineData("/media/notes.txt")]
    [InlineData("/media/page.html")]
    public async Task Nothing_outside_the_stored_images_is_served(string path)
    {
        using var client = _server.CreateClient();
        Directory.CreateDirectory(Path.Combine(Root, ".tmp-0123"));
        await File.WriteAllBytesAsync(Path.Combine(_folder, "secret.jpg"), TestImages.Jpeg(10, 10));
        await File.WriteAllTextAsync(Path.Combine(_folder, "appsettings.json"), "{\"secret\": true}");
        await File.WriteAllBytesAsync(Path.Combine(Root, ".tmp-0123", "small.jpg"), TestImages.Jpeg(10, 10));
        await File.WriteAllTextAsync(Path.Combine(Root, "notes.txt"), "private");
        await File.WriteAllTextAsync(Path.Combine(Root, "page.html"), "<script>alert(1)</script>");

        var context = await _server.Server.SendAsync(c =>
        {
            c.Request.Method = HttpMethods.Get;
            c.Request.Path = new PathString(path);
        });

        Assert.Equal(StatusCodes.Status404NotFound, context.Response.StatusCode);
        Assert.Null(context.Response.ContentType);
    }

    [Theory]
    [InlineData("/media/%2e%2e/secret.jpg")]
    [InlineData("/media/%2e%2e%2fsecret.jpg")]
    [InlineData("/media/..%5csecret.jpg")]
    public async Task Encoded_traversal_through_the_client_is_not_found(string url)
    {
        using var client = _server.CreateClient();
        await File.WriteAllBytesAsync(Path.Combine(_folder, "secret.jpg"), TestImages.Jpeg(10, 10));
        await File.WriteAllTextAsync(Path.Combine(_folder, "appsettings.json"), "{\"secret\": true}");

        using var response = await client.GetAsync(url);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }
}
