using System.Globalization;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Tessera.Server.Data;
using Tessera.Server.Features.Tiles;
using Tessera.Tests.Infrastructure;
using Tessera.Tests.Rules;

namespace Tessera.Tests.Filters;

/// <summary>
/// Filter content served from the tile JSON cache (on by default) answers exactly what a server with
/// the cache off answers, on the same database, after every kind of change a tile's JSON shows.
/// </summary>
[Collection(ApiCollection.Name)]
public sealed class FilterContentCacheTests(TesseraFactory factory) : IAsyncDisposable
{
    private const string MediaPath = "/media/1/2026/01/0123456789abcdef0123456789abcdef/large.jpg";

    private readonly WebApplicationFactory<Program> _uncached = factory.With(("Tessera:Cache:TileJsonMegabytes", "0"));

    public ValueTask DisposeAsync() => _uncached.DisposeAsync();

    [Fact]
    public async Task A_page_shows_a_tiles_new_message_tags_and_status_on_the_next_read()
    {
        var (api, filter, tag) = await StackWithTagFilterAsync();
        var other = await api.CreateTagAsync("Other");
        var ids = await PostTilesAsync(api, 3, $"tags={tag}");
        await AssertSameAsUncachedAsync(api, filter);

        (await api.PutQueryAsync($"tiles/{ids[1]}", $"message=edited&tags={other},{tag}")).AssertOk();
        var tile = await TileOnPageAsync(api, filter, ids[1]);
        Assert.Equal("edited", tile.GetProperty("message").GetString());
        Assert.Equal([Id(other), Id(tag)], tile.GetProperty("tags").Strings());
        await AssertSameAsUncachedAsync(api, filter);

        // Queued content is a page of its own; the status the tile shows changes with it.
        (await api.PutQueryAsync($"tiles/{ids[2]}", "status=queued")).AssertOk();
        Assert.Equal("queued", (await TileOnPageAsync(api, filter, ids[2], "status=queued")).GetProperty("status").GetString());
        (await api.PutQueryAsync($"tiles/{ids[2]}", "status=published")).AssertOk();
        Assert.Equal("published", (await TileOnPageAsync(api, filter, ids[2])).GetProperty("status").GetString());
        await AssertSameAsUncachedAsync(api, filter);
    }

    [Fact]
    public async Task Renaming_or_deleting_a_tag_shows_in_the_tiles_on_the_next_read()
    {
        var (api, filter, tag) = await StackWithTagFilterAsync();
        var doomed = await api.CreateTagAsync("Doomed");
        var id = (await PostTilesAsync(api, 1, $"tags={tag},{doomed}"))[0];
        Assert.Equal([Id(tag), Id(doomed)], (await TileOnPageAsync(api, filter, id)).GetProperty("tags").Strings());

        (await api.PutQueryAsync($"tags/{tag}", "tag=Renamed")).AssertOk();
        var renamed = await TileOnPageAsync(api, filter, id);
        Assert.Equal("Renamed", renamed.GetProperty("tags_extended")[0].GetProperty("tag").GetString());
        await AssertSameAsUncachedAsync(api, filter);

        // Deleting a tag drops the tile's link without touching the tile's row.
        (await api.DeleteAsync($"tags/{doomed}")).AssertOk();
        var after = await TileOnPageAsync(api, filter, id);
        Assert.Equal([Id(tag)], after.GetProperty("tags").Strings());
        Assert.Equal(1, after.GetProperty("tags_extended").GetArrayLength());
        await AssertSameAsUncachedAsync(api, filter);
    }

    [Fact]
    public async Task Renaming_the_term_shows_in_terms_and_term_meta_on_the_next_read()
    {
        var (api, filter, tag) = await StackWithTagFilterAsync();
        var id = (await PostTilesAsync(api, 1, $"tags={tag}"))[0];
        Assert.Equal(["UGC Post Feed"], (await TileOnPageAsync(api, filter, id)).GetProperty("terms").Strings());

        (await api.PutQueryAsync($"terms/{api.PostTermId}", "name=Renamed+feed")).AssertOk();
        var tile = await TileOnPageAsync(api, filter, id);
        Assert.Equal(["Renamed feed"], tile.GetProperty("terms").Strings());
        Assert.Equal("Renamed feed", tile.GetProperty("term_meta")[0].GetProperty("term").GetString());
        await AssertSameAsUncachedAsync(api, filter);
    }

    [Fact]
    public async Task A_rule_applied_to_stored_tiles_shows_its_tags_on_the_next_read()
    {
        var (api, filter, tag) = await StackWithTagFilterAsync();
        var featured = await api.CreateTagAsync("Featured");
        var ids = await PostTilesAsync(api, 2, $"tags={tag}");
        await AssertSameAsUncachedAsync(api, filter);

        var ruleId = await api.CreateRuleAsync("{}", $$"""[{"type": "$addToSet", "field": "tags", "value": [{{featured}}]}]""");
        Assert.Equal("done", (await api.ApplyAndWaitAsync(ruleId)).GetProperty("status").GetString());
        foreach (var id in ids)
        {
            var tile = await TileOnPageAsync(api, filter, id);
            Assert.Contains(Id(featured), tile.GetProperty("tags").Strings());
            Assert.Equal([ruleId], tile.GetProperty("rules").Ints());
        }

        await AssertSameAsUncachedAsync(api, filter);
    }

    [Fact]
    public async Task A_tile_saved_by_code_that_leaves_its_version_alone_still_shows_the_change()
    {
        var (api, filter, tag) = await StackWithTagFilterAsync();
        var extra = await api.CreateTagAsync("Extra");
        var id = (await PostTilesAsync(api, 1, $"tags={tag}"))[0];
        await AssertSameAsUncachedAsync(api, filter);

        await SaveWithoutVersionAsync(id, tile => tile.Message = "changed behind the API's back");
        Assert.Equal("changed behind the API's back", (await TileOnPageAsync(api, filter, id)).GetProperty("message").GetString());

        // Only tag links change: the tile row itself is untouched.
        await SaveWithoutVersionAsync(id, tile => tile.SetTags([tag, extra]));
        Assert.Equal([Id(tag), Id(extra)], (await TileOnPageAsync(api, filter, id)).GetProperty("tags").Strings());
        await SaveWithoutVersionAsync(id, tile => tile.SetTags([extra, tag]));
        Assert.Equal([Id(extra), Id(tag)], (await TileOnPageAsync(api, filter, id)).GetProperty("tags").Strings());
        await AssertSameAsUncachedAsync(api, filter);
    }

    [Fact]
    public async Task Each_host_gets_media_urls_made_absolute_with_its_own_base_url()
    {
        var (api, filter, tag) = await StackWithTagFilterAsync();
        var id = (await PostTilesAsync(api, 1, $"tags={tag}"))[0];
        await TileSeeder.EditAsync(factory, id, tile => tile.ImageUrl = MediaPath);

        foreach (var host in new[] { "a.example", "b.example", "a.example" })
        {
            var response = await api.SendAsync(HttpMethod.Get, $"http://{host}" + api.Url($"filters/{filter}/content"));
            response.AssertOk();
            Assert.Equal($"http://{host}{MediaPath}", response.Data[0].GetProperty("image_url").GetString());
        }
    }

    [Fact]
    public async Task Pages_from_the_cache_are_byte_for_byte_what_the_server_answers_with_the_cache_off()
    {
        var (api, filter, tag) = await StackWithTagFilterAsync();
        var second = await api.CreateTagAsync("Ünïcödé <&> \"quoted\"");
        var ids = await PostTilesAsync(api, 7, $"tags={tag},{second}&image_url=https%3A%2F%2Fcdn.example%2Fa.jpg&custom_fields%5Bsize%5D=XL");
        await TileSeeder.EditAsync(factory, ids[3], tile => tile.ImageUrl = MediaPath);
        var scored = await api.CreateFilterAsync($"name=Scored&sort=score_desc&tags%5B0%5D={second}");

        // Twice: the first read fills the cache, the second is served from it.
        for (var round = 0; round < 2; round++)
        {
            foreach (var (filterId, query) in new[] { (filter, (string?)"limit=3&page=2"), (filter, "limit=50"), (scored, "limit=4"), (api.LatestFilterId, (string?)null) })
            {
                await AssertSameAsUncachedAsync(api, filterId, query);
            }
        }
    }

    /// <summary>A new stack with a tag and a filter of that one tag (the fast index path).</summary>
    private async Task<(ApiClient Api, int FilterId, int TagId)> StackWithTagFilterAsync()
    {
        var api = await factory.NewStackClientAsync();
        var tag = await api.CreateTagAsync("Tagged");
        return (api, await api.CreateFilterAsync($"name=Tagged&tags%5B0%5D={tag}"), tag);
    }

    private static string Id(int id) => id.ToString(CultureInfo.InvariantCulture);

    private static async Task<List<string>> PostTilesAsync(ApiClient api, int count, string form)
    {
        var ids = new List<string>();
        for (var i = 0; i < count; i++)
        {
            ids.Add((await api.CreateTileAsync($"message=tile+{i}&{form}")).GetProperty("id").GetString()!);
        }

        return ids;
    }

    /// <summary>The tile <paramref name="tileId"/> as a page of the filter's content shows it (read twice: the second read is served from the cache).</summary>
    private static async Task<System.Text.Json.JsonElement> TileOnPageAsync(ApiClient api, int filterId, string tileId, string? query = null)
    {
        System.Text.Json.JsonElement found = default;
        for (var read = 0; read < 2; read++)
        {
            var response = await api.GetAsync($"filters/{filterId}/content", query);
            response.AssertOk();
            found = response.Data.EnumerateArray().Single(t => t.GetProperty("id").GetString() == tileId);
        }

        return found;
    }

    /// <summary>The same page in JSON and in XML from this server (cache on) and from one with the cache off, on the same database.</summary>
    private async Task AssertSameAsUncachedAsync(ApiClient api, int filterId, string? query = null)
    {
        var uncached = new ApiClient(_uncached.CreateClient(), api.Stack, api.Token, api.StackId);
        foreach (var path in new[] { $"filters/{filterId}/content", $"filters/{filterId}/content.xml" })
        {
            var expected = await uncached.GetAsync(path, query);
            var actual = await api.GetAsync(path, query);
            Assert.Equal(System.Net.HttpStatusCode.OK, actual.Status);
            Assert.Equal(expected.ContentType, actual.ContentType);
            Assert.Equal(expected.Body, actual.Body);
        }
    }

    /// <summary>Changes a stored tile and saves it as code that forgets <c>Version++</c> would.</summary>
    private async Task SaveWithoutVersionAsync(string tileId, Action<Tile> edit)
    {
        await using var scope = factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<TesseraDbContext>();
        var tile = await db.Tiles.Include(t => t.Tags).SingleAsync(t => t.ObjectId == tileId);
        edit(tile);
        await db.SaveChangesAsync();
    }
}
