using System.Text.Json;
using Tessera.Server.Features.Tiles;
using Tessera.Tests.Infrastructure;

namespace Tessera.Tests.ContentApi;

/// <summary>
/// The Content API is public (decisions §3, §4): published tiles of the plugin's stack only, each an
/// allow-list of display fields. No registration data, custom fields, moderation state, terms, claims,
/// external ids or location; only publicly visible tags; no author for anonymous tiles.
/// </summary>
[Collection(ApiCollection.Name)]
public sealed class ContentApiPrivacyTests(TesseraFactory factory)
{
    /// <summary>Every property a public tile has, and nothing else.</summary>
    private static readonly string[] PublicTileFields =
    [
        "id", "_id", "source", "media", "name", "user", "avatar", "anonymous", "message", "title", "html", "share_text",
        "original_url", "image", "image_url", "image_width", "image_height", "image_small_url", "image_small_width",
        "image_small_height", "image_medium_url", "image_medium_width", "image_medium_height", "image_large_url",
        "image_large_width", "image_large_height", "video_url", "width_ratio", "height_ratio", "tags", "tags_extended",
        "score", "numVotes", "created_at", "updated_at", "source_created_at",
    ];

    [Fact]
    public async Task Only_published_tiles_are_served()
    {
        var api = await factory.NewStackClientAsync();
        var published = await PostAsync(api, "message=published");
        await PostAsync(api, "message=queued&status=queued");
        await PostAsync(api, "message=disabled&status=disabled");
        (await api.DeleteAsync($"tiles/{await PostAsync(api, "message=deleted")}")).AssertOk();
        var seededPublished = await TileSeeder.SeedAsync(factory, api.StackId, sourceCreatedAt: 1_000);
        await TileSeeder.SeedAsync(factory, api.StackId, status: TileStatus.Queued);
        await TileSeeder.SeedAsync(factory, api.StackId, status: TileStatus.Disabled);

        Assert.Equal([published, seededPublished], await api.PublicIdsAsync());
        Assert.Equal([published, seededPublished], await api.PublicIdsAsync($"filter_id={api.LatestFilterId}&limit=100"));
    }

    [Fact]
    public async Task Public_tiles_have_only_display_fields_and_no_private_data_anywhere_in_the_body()
    {
        var api = await factory.NewStackClientAsync();
        var secret = $"{Guid.NewGuid():N}"[..12];
        var email = $"visitor{secret}@example.com";
        const string ip = "203.0.113.77";
        var publicTag = await api.CreateTagAsync("Shown");
        var privateTag = await CreateTagAsync(api, $"hiddentag{secret}", publiclyVisible: false);
        var shown = await PostAsync(api,
            $"message=hello&name=Ann+Author&guid=guid{secret}&latitude=12.3456789&longitude=98.7654321"
            + $"&custom_fields=%7B%22field{secret}%22%3A%22value{secret}%22%7D&tags={publicTag},{privateTag}");
        await TileSeeder.EditAsync(factory, shown, tile => tile.ExternalDataJson = JsonSerializer.Serialize(new { email, ip, phone = $"phone{secret}" }));
        var anonymous = await PostAsync(api, $"message=anon&anonymous=1&name=author{secret}&avatar=https%3A%2F%2Fcdn.example%2Favatar{secret}.jpg");
        await PostAsync(api, $"message=queued{secret}&status=queued");
        (await api.DeleteAsync($"tiles/{await PostAsync(api, $"message=disabled{secret}")}")).AssertOk();

        // What the management API shows and the public one must not.
        var full = (await api.GetAsync($"tiles/{shown}")).Data;
        Assert.Equal(email, full.GetProperty("external_data").GetProperty("email").GetString());
        string[] secrets =
        [
            secret, email, ip, "12.3456789", "98.7654321", full.GetProperty("sta_feed_id").GetString()!,
            full.GetProperty("source_unique_id").GetString()!, full.GetProperty("source_id").GetString()!,
        ];

        var response = await api.PublicContentAsync();
        Assert.Equal([anonymous, shown], PublicContent.Ids(response));
        foreach (var leaked in secrets)
        {
            Assert.DoesNotContain(leaked, response.Body, StringComparison.OrdinalIgnoreCase);
        }

        foreach (var tile in response.Data.EnumerateArray())
        {
            Assert.Equal(PublicTileFields.Order(StringComparer.Ordinal), tile.EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal));
        }

        var publicTile = response.Data[1];
        Assert.Equal("Ann Author", publicTile.GetProperty("name").GetString());
        Assert.Equal([publicTag.ToString(System.Globalization.CultureInfo.InvariantCulture)], publicTile.GetProperty("tags").EnumerateArray().Select(t => t.GetString()));
        Assert.Equal([publicTag], publicTile.GetProperty("tags_extended").EnumerateArray().Select(t => t.GetProperty("id").GetInt32()));
        Assert.Equal(shown, publicTile.GetProperty("_id").GetProperty("$id").GetString());
    }

    [Fact]
    public async Task An_anonymous_tile_has_no_author()
    {
        var api = await factory.NewStackClientAsync();
        var named = await PostAsync(api, "message=named&name=Bea&avatar=https%3A%2F%2Fcdn.example%2Fbea.jpg");
        await TileSeeder.EditAsync(factory, named, tile => tile.User = "bea_handle");
        var anonymous = await PostAsync(api, "message=anon&anonymous=1&name=Cy&avatar=https%3A%2F%2Fcdn.example%2Fcy.jpg");
        await TileSeeder.EditAsync(factory, anonymous, tile => tile.User = "cy_handle");

        var response = await api.PublicContentAsync();
        Assert.Equal([anonymous, named], PublicContent.Ids(response));
        var (anon, shown) = (response.Data[0], response.Data[1]);
        Assert.True(anon.GetProperty("anonymous").GetBoolean());
        Assert.Equal(JsonValueKind.Null, anon.GetProperty("name").ValueKind);
        Assert.Equal(JsonValueKind.Null, anon.GetProperty("user").ValueKind);
        Assert.Equal(JsonValueKind.Null, anon.GetProperty("avatar").ValueKind);
        Assert.DoesNotContain("cy_handle", response.Body, StringComparison.Ordinal);
        Assert.DoesNotContain("cy.jpg", response.Body, StringComparison.Ordinal);
        Assert.False(shown.GetProperty("anonymous").GetBoolean());
        Assert.Equal("Bea", shown.GetProperty("name").GetString());
        Assert.Equal("bea_handle", shown.GetProperty("user").GetString());
        Assert.Equal("https://cdn.example/bea.jpg", shown.GetProperty("avatar").GetString());
    }

    [Fact]
    public async Task Only_publicly_visible_tags_are_listed_and_hidden_tags_still_select()
    {
        var api = await factory.NewStackClientAsync();
        var shown = await api.CreateTagAsync("Shown");
        var hidden = await CreateTagAsync(api, "Hidden", publiclyVisible: false);
        var tile = await PostAsync(api, $"message=m&tags={hidden},{shown}");

        var response = await api.PublicContentAsync();
        var served = Assert.Single(response.Data.EnumerateArray());
        Assert.Equal([$"{shown}"], served.GetProperty("tags").EnumerateArray().Select(t => t.GetString()));
        var extended = Assert.Single(served.GetProperty("tags_extended").EnumerateArray());
        Assert.Equal("Shown", extended.GetProperty("tag").GetString());
        Assert.DoesNotContain("Hidden", response.Body, StringComparison.Ordinal);

        // A site may still ask for the tiles of a tag it knows; the tag itself stays unlisted.
        var byHidden = await api.PublicContentAsync($"tags={hidden}");
        Assert.Equal([tile], PublicContent.Ids(byHidden));
        Assert.DoesNotContain("Hidden", byHidden.Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Listed_tags_have_only_display_fields_and_never_their_custom_fields()
    {
        var api = await factory.NewStackClientAsync();
        var secret = $"{Guid.NewGuid():N}"[..12];
        var product = await api.PostFormAsync("tags",
            $"tag=Boot&type=product&publicly_visible=1&brand=Acme&price=99&ext_product_id=SKU-1"
            + $"&custom_fields=%7B%22margin{secret}%22%3A%22cost{secret}%22%7D");
        product.AssertOk();
        var productId = product.Data.GetProperty("id").GetInt32();
        await PostAsync(api, $"message=m&tags={productId}");

        var response = await api.PublicContentAsync();
        var tag = Assert.Single(Assert.Single(response.Data.EnumerateArray()).GetProperty("tags_extended").EnumerateArray());
        string[] publicTagFields =
        [
            "id", "tag", "slug", "type", "target", "priority", "custom_url", "price", "currency", "ext_product_id", "description",
            "image_small_url", "image_small_width", "image_small_height", "image_medium_url", "image_medium_width",
            "image_medium_height", "brand", "categories", "availability_status", "cta_text",
        ];
        Assert.Equal(publicTagFields.Order(StringComparer.Ordinal), tag.EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal));
        Assert.Equal("Acme", tag.GetProperty("brand").GetString());
        Assert.Equal("SKU-1", tag.GetProperty("ext_product_id").GetString());
        Assert.DoesNotContain(secret, response.Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_stacks_plugin_never_serves_another_stacks_tiles()
    {
        var first = await factory.NewStackClientAsync();
        var second = await factory.NewStackClientAsync();
        var firstTag = await first.CreateTagAsync("Mine");
        var firstTile = await PostAsync(first, $"message=first+stack&tags={firstTag}");
        var firstFilter = await first.CreateFilterAsync($"name=Mine&tags={firstTag}");
        var secondTile = await PostAsync(second, "message=second+stack");

        Assert.NotEqual(first.ContentApiPluginId, second.ContentApiPluginId);
        Assert.Equal([firstTile], await first.PublicIdsAsync());
        Assert.Equal([secondTile], await second.PublicIdsAsync());
        Assert.Equal([secondTile], await second.PublicIdsAsync($"filter_id={firstFilter}"));
        Assert.Equal([secondTile], await second.PublicIdsAsync($"filter_id={first.LatestFilterId}&limit=100"));
        Assert.Empty(await second.PublicIdsAsync($"tags={firstTag}"));
        Assert.Empty(await second.PublicIdsAsync($"filter_id={firstFilter}&tags={firstTag}"));
        var body = (await second.PublicContentAsync($"filter_id={firstFilter}")).Body;
        Assert.DoesNotContain(firstTile, body, StringComparison.Ordinal);
        Assert.DoesNotContain("first stack", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_body_is_json_data_and_errors()
    {
        var api = await factory.NewStackClientAsync();
        await PostAsync(api, "message=m");

        var response = await api.PublicContentAsync();
        response.AssertOk();
        Assert.Equal("application/json", response.ContentType);
        Assert.Equal(["data", "errors"], response.Json.EnumerateObject().Select(p => p.Name));
        Assert.Equal(JsonValueKind.Array, response.Errors.ValueKind);
    }

    private static async Task<string> PostAsync(ApiClient api, string form) =>
        (await api.CreateTileAsync(form)).GetProperty("id").GetString()!;

    private static async Task<int> CreateTagAsync(ApiClient api, string name, bool publiclyVisible)
    {
        var response = await api.PostFormAsync("tags", $"tag={name}&type=content&publicly_visible={(publiclyVisible ? 1 : 0)}");
        response.AssertOk();
        return response.Data.GetProperty("id").GetInt32();
    }
}
