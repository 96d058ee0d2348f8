using System.Net;
using Tessera.Tests.Infrastructure;

namespace Tessera.Tests.Tiles;

/// <summary>Bad tile inputs are 4xx envelopes, never a 500 and never a partial write.</summary>
[Collection(ApiCollection.Name)]
public sealed class TileBadInputTests(TesseraFactory factory)
{
    public static TheoryData<string, string> InvalidPosts => new()
    {
        { "message", $"message={new string('m', 32_001)}" },
        { "html", $"message=m&html={new string('h', 32_001)}" },
        { "name", $"message=m&name={new string('n', 256)}" },
        { "guid", $"message=m&guid={new string('g', 256)}" },
        { "image_url", "message=m&image_url=javascript%3Aalert(1)" },
        { "image_url", "message=m&image_url=%2Frelative.jpg" },
        { "video_url", "message=m&video_url=ftp%3A%2F%2Fcdn.example%2Fv.mp4" },
        { "avatar", "message=m&avatar=not+a+url" },
        { "media", "message=m&media=gif" },
        { "status", "message=m&status=deleted" },
        { "tags", "message=m&tags=abc" },
        { "tags", "message=m&tags=0" },
        { "tags", "message=m&tags%5B0%5D%5Bid%5D=1" },
        { "tags", "message=m&tags=" + string.Join(",", Enumerable.Range(1, 101)) },
        { "image_width", "message=m&image_width=-1" },
        { "width_ratio", "message=m&width_ratio=0" },
        { "width_ratio", "message=m&width_ratio=NaN" },
        { "anonymous", "message=m&anonymous=perhaps" },
        { "message", "message=a%00b" },
        { "message", "message%5Ba%5D=x" },
        { "term_id", "message=m&term_id=-5" },
    };

    [Theory]
    [MemberData(nameof(InvalidPosts))]
    public async Task Invalid_posts_are_400_naming_the_field_and_store_nothing(string field, string form)
    {
        var api = await factory.NewStackClientAsync();
        var response = await api.PostTileAsync(form, api.PostTermId);
        response.AssertError(HttpStatusCode.BadRequest, 1020400);
        Assert.Contains(response.Errors.EnumerateArray(), e => e.GetProperty("message").GetString()!.StartsWith(field, StringComparison.Ordinal));
        foreach (var status in new[] { "published", "queued", "disabled" })
        {
            Assert.Empty(await api.ContentIdsAsync(api.LatestFilterId, $"status={status}"));
        }
    }

    [Theory]
    [InlineData("status", "status=bogus")]
    [InlineData("tags", "tags=1,x")]
    [InlineData("latitude", "latitude=999")]
    [InlineData("message", "message=a%01b")]
    [InlineData("image_url", "image_url=data%3Atext%2Fplain%2Cx")]
    public async Task Invalid_updates_are_400_and_change_nothing(string field, string query)
    {
        var api = await factory.NewStackClientAsync();
        var tile = await api.CreateTileAsync("message=original");
        var id = tile.GetProperty("id").GetString()!;

        var response = await api.PutQueryAsync($"tiles/{id}", $"{query}&name=Changed");
        response.AssertError(HttpStatusCode.BadRequest, 1020400);
        Assert.Contains(response.Errors.EnumerateArray(), e => e.GetProperty("message").GetString()!.StartsWith(field, StringComparison.Ordinal));
        Assert.Equal(tile.GetRawText(), (await api.GetAsync($"tiles/{id}")).Data.GetRawText());
    }

    [Theory]
    [InlineData("GET", "tiles")]
    [InlineData("PUT", "tiles")]
    [InlineData("DELETE", "tiles")]
    [InlineData("POST", "tiles/0123456789abcdef01234567")]
    [InlineData("PUT", "filters")]
    [InlineData("DELETE", "filters")]
    [InlineData("POST", "filters/1")]
    [InlineData("POST", "filters/1/content")]
    [InlineData("DELETE", "terms")]
    [InlineData("PUT", "terms/1/tags/1")]
    public async Task Verbs_without_a_route_are_404_envelopes(string method, string path)
    {
        var api = await factory.NewStackClientAsync();
        (await api.SendAsync(new HttpMethod(method), api.Url(path))).AssertError(HttpStatusCode.NotFound, 1010404, "request:not_found");
    }

    [Fact]
    public async Task A_tile_id_with_odd_characters_is_a_404_envelope()
    {
        var api = await factory.NewStackClientAsync();
        foreach (var id in new[] { "guid:%F0%9F%98%80", "sta_feed_id:%25", "%20", "guid:a%2Fb", new string('0', 300), "guid:" + new string('g', 300) })
        {
            var response = await api.GetAsync($"tiles/{id}");
            Assert.True(response.Status == HttpStatusCode.NotFound, $"{id}: {(int)response.Status} {response.Body}");
            Assert.Equal("tile:not_found", response.Error.GetProperty("message_id").GetString());
        }
    }
}
