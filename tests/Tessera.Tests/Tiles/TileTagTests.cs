using System.Globalization;
using System.Net;
using Tessera.Server.Features.Tiles;
using Tessera.Tests.Infrastructure;

namespace Tessera.Tests.Tiles;

/// <summary>How tags and tiles affect each other: tag summaries count tiles, deleting a tag removes it everywhere.</summary>
[Collection(ApiCollection.Name)]
public sealed class TileTagTests(TesseraFactory factory)
{
    [Fact]
    public async Task Tag_summaries_count_the_published_tiles_carrying_the_tag()
    {
        var api = await factory.NewStackClientAsync();
        var tag = await api.CreateTagAsync("Counted");
        var other = await api.CreateTagAsync("Other");
        var ids = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            ids.Add((await api.CreateTileAsync($"message=m{i}&tags={tag}")).GetProperty("id").GetString()!);
        }

        var queued = (await api.CreateTileAsync($"message=q&status=queued&tags={tag}")).GetProperty("id").GetString()!;
        await api.CreateTileAsync($"message=d&status=disabled&tags={tag}");
        await api.CreateTileAsync($"message=o&tags={other}");
        await TileSeeder.SeedAsync(factory, api.StackId, source: "instagram", media: "image", tagIds: [tag]);
        await TileSeeder.SeedAsync(factory, api.StackId, source: "instagram", status: TileStatus.Queued, tagIds: [tag]);
        Assert.Equal(4, await QuantityAsync(api, tag));
        Assert.Equal(1, await QuantityAsync(api, other));

        (await api.DeleteAsync($"tiles/{ids[0]}")).AssertOk();
        Assert.Equal(3, await QuantityAsync(api, tag));
        (await api.PutQueryAsync($"tiles/{queued}", "status=published")).AssertOk();
        Assert.Equal(4, await QuantityAsync(api, tag));
        (await api.PutQueryAsync($"tiles/{ids[1]}", $"tags={other}")).AssertOk();
        Assert.Equal(3, await QuantityAsync(api, tag));
        Assert.Equal(2, await QuantityAsync(api, other));
    }

    [Fact]
    public async Task Deleting_a_tag_removes_it_from_tiles_filters_and_terms()
    {
        var api = await factory.NewStackClientAsync();
        var doomed = await api.CreateTagAsync("Doomed");
        var kept = await api.CreateTagAsync("Kept");
        var termId = await api.CreateTermAsync($"name=Feed&network=sta_feed&type=post&tags%5B0%5D={doomed}&tags%5B1%5D={kept}");
        var filterId = await api.CreateFilterAsync($"name=Both&tags%5B0%5D={doomed}&tags%5B1%5D={kept}");
        var onlyDoomed = await api.CreateFilterAsync($"name=Only+doomed&tags%5B0%5D={doomed}");
        var tileId = (await api.CreateTileAsync("message=m", termId)).GetProperty("id").GetString()!;
        var collected = await TileSeeder.SeedAsync(factory, api.StackId, source: "twitter", tagIds: [doomed]);

        (await api.DeleteAsync($"tags/{doomed}")).AssertOk();
        (await api.GetAsync($"tags/{doomed}")).AssertError(HttpStatusCode.NotFound, 1070404, "tag:not_found");

        var tile = (await api.GetAsync($"tiles/{tileId}")).Data;
        Assert.Equal([kept.ToString(CultureInfo.InvariantCulture)], tile.GetProperty("tags").EnumerateArray().Select(t => t.GetString()!));
        Assert.Equal([kept], tile.GetProperty("tags_extended").EnumerateArray().Select(t => t.GetProperty("id").GetInt32()));
        Assert.Equal(0, (await api.GetAsync($"tiles/{collected}")).Data.GetProperty("tags").GetArrayLength());

        Assert.Equal([kept], (await api.GetAsync($"filters/{filterId}")).Data.GetProperty("tags").EnumerateArray().Select(t => t.GetInt32()));
        Assert.Equal(0, (await api.GetAsync($"filters/{onlyDoomed}")).Data.GetProperty("tags").GetArrayLength());
        Assert.Equal([kept], (await api.GetAsync($"terms/{termId}")).Data.GetProperty("tags").EnumerateArray().Select(t => t.GetProperty("id").GetInt32()));

        // The filter still works and matches by the remaining tag.
        Assert.Equal([tileId], await api.ContentIdsAsync(filterId));

        // New posts through the term get the remaining default tag only.
        var next = await api.CreateTileAsync("message=n", termId);
        Assert.Equal([kept.ToString(CultureInfo.InvariantCulture)], next.GetProperty("tags").EnumerateArray().Select(t => t.GetString()!));
    }

    [Fact]
    public async Task Tags_of_a_tile_are_returned_in_full_and_follow_tag_edits()
    {
        var api = await factory.NewStackClientAsync();
        var tag = await api.CreateTagAsync("Before");
        var id = (await api.CreateTileAsync($"message=m&tags={tag}")).GetProperty("id").GetString()!;

        (await api.PutQueryAsync($"tags/{tag}", "tag=After&price=12")).AssertOk();
        var extended = (await api.GetAsync($"tiles/{id}")).Data.GetProperty("tags_extended")[0];
        Assert.Equal("After", extended.GetProperty("tag").GetString());
        Assert.Equal("12", extended.GetProperty("price").GetString());
    }

    private static async Task<long> QuantityAsync(ApiClient api, int tagId)
    {
        var response = await api.GetAsync($"tags/{tagId}/summaries");
        response.AssertOk();
        return response.Data[0].GetProperty("quantity").GetInt64();
    }
}
