using System.Net;
using System.Net.Http.Headers;
using Tessera.Tests.Infrastructure;
using Tessera.Tests.Media;

namespace Tessera.Tests.Tiles;

/// <summary><c>POST /api/tiles</c> with a multipart <c>image</c> file: stored, rendered three times, served.</summary>
[Collection(ApiCollection.Name)]
public sealed class TileImageUploadTests(TesseraFactory factory)
{
    [Fact]
    public async Task Uploaded_image_becomes_an_image_tile_with_three_served_renditions()
    {
        var api = await factory.NewStackClientAsync();

        var created = await PostImageAsync(api, TestImages.Jpeg(2000, 1000), "message=Look+at+this");

        created.AssertOk();
        var tile = created.Data;
        Assert.Equal("image", tile.GetProperty("media").GetString());
        foreach (var (size, width) in new[] { ("small", 300), ("medium", 600), ("large", 1200) })
        {
            Assert.Equal(width, tile.GetProperty($"image_{size}_width").GetInt32());
            Assert.Equal(width / 2, tile.GetProperty($"image_{size}_height").GetInt32());
            var url = new Uri(tile.GetProperty($"image_{size}_url").GetString()!);
            Assert.True(url.IsAbsoluteUri);
            using var served = await api.Http.GetAsync(url.PathAndQuery);
            Assert.Equal(HttpStatusCode.OK, served.StatusCode);
            Assert.Equal("image/jpeg", served.Content.Headers.ContentType?.MediaType);
        }

        // The full-size image clients get is the large rendition, never the original upload.
        Assert.Equal(tile.GetProperty("image_large_url").GetString(), tile.GetProperty("image_url").GetString());
        Assert.Equal(1200, tile.GetProperty("image_width").GetInt32());
    }

    [Fact]
    public async Task Small_image_is_not_upscaled()
    {
        var api = await factory.NewStackClientAsync();

        var tile = (await PostImageAsync(api, TestImages.Webp(400, 200), "message=small")).Data;

        Assert.Equal([300, 400, 400], new[] { "small", "medium", "large" }.Select(s => tile.GetProperty($"image_{s}_width").GetInt32()));
    }

    [Fact]
    public async Task Corrupt_image_is_rejected_and_nothing_is_stored()
    {
        var api = await factory.NewStackClientAsync();
        var filesBefore = MediaFiles();
        var corrupt = TestImages.Jpeg(800, 600)[..200];

        var response = await PostImageAsync(api, corrupt, "message=broken");

        response.AssertError(HttpStatusCode.BadRequest, 1020400, "tile:corrupt_image");
        Assert.Contains("image", response.Error.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Equal(filesBefore, MediaFiles());
        var latest = (await api.GetAsync("filters", "limit=1")).Data[0].GetProperty("id").GetInt32();
        Assert.Equal(0, (await api.GetAsync($"filters/{latest}/summaries")).Data[0].GetProperty("quantity").GetInt64());
    }

    [Fact]
    public async Task Text_renamed_as_an_image_is_rejected()
    {
        var api = await factory.NewStackClientAsync();

        var response = await PostImageAsync(api, "hello, I am not a picture"u8.ToArray(), "message=x", fileName: "photo.jpg");

        response.AssertError(HttpStatusCode.BadRequest, 1020400, "tile:unsupported_image");
    }

    [Fact]
    public async Task Image_over_the_upload_limit_is_rejected()
    {
        await using var server = factory.With(("Tessera:Media:MaxUploadBytes", "10000"));
        var stack = await factory.CreateStackAsync();
        var api = new ApiClient(server.CreateClient(), stack.Stack, stack.AccessToken, stack.StackId);

        var response = await PostImageAsync(api, TestImages.Jpeg(1500, 1500), "message=big");

        response.AssertError(HttpStatusCode.BadRequest, 1020400, "tile:image_too_large");
    }

    [Fact]
    public async Task Invalid_fields_beside_a_valid_image_store_nothing()
    {
        var api = await factory.NewStackClientAsync();
        var filesBefore = MediaFiles();

        var response = await PostImageAsync(api, TestImages.Jpeg(600, 600), "message=ok&latitude=123");

        response.AssertError(HttpStatusCode.BadRequest, 1020400);
        Assert.Equal(filesBefore, MediaFiles());
    }

    private static Task<ApiResponse> PostImageAsync(ApiClient api, byte[] image, string fields, string fileName = "upload.bin")
    {
        var form = new MultipartFormDataContent();
        foreach (var pair in fields.Split('&'))
        {
            var split = pair.IndexOf('=', StringComparison.Ordinal);
            form.Add(new StringContent(WebUtility.UrlDecode(pair[(split + 1)..])), pair[..split]);
        }

        var file = new ByteArrayContent(image);
        file.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        form.Add(file, "image", fileName);
        return api.SendAsync(HttpMethod.Post, api.Url("tiles"), form);
    }

    private string[] MediaFiles() =>
        Directory.Exists(factory.MediaRoot) ? [.. Directory.GetFiles(factory.MediaRoot, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal)] : [];
}
