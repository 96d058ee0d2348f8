using System.Net;
using Tessera.Tests.Infrastructure;

namespace Tessera.Tests.Tiles;

/// <summary>A token of stack A never reads or changes a tile of stack B, by any id form or through any reference.</summary>
[Collection(ApiCollection.Name)]
public sealed class TileIsolationTests(TesseraFactory factory)
{
    [Fact]
    public async Task Another_stacks_token_cannot_reach_a_tile_by_any_id_form()
    {
        var alice = await factory.NewStackClientAsync();
        var bob = await factory.NewStackClientAsync();
        var tile = await alice.CreateTileAsync("message=secret&guid=alice-guid");
        var id = tile.GetProperty("id").GetString()!;
        var staFeedId = tile.GetProperty("sta_feed_id").GetString()!;

        foreach (var path in new[] { $"tiles/{id}", "tiles/guid:alice-guid", $"tiles/guid:{staFeedId}", $"tiles/sta_feed_id:{staFeedId}" })
        {
            (await bob.GetAsync(path)).AssertError(HttpStatusCode.NotFound, 1020404, "tile:not_found");
            (await bob.PutQueryAsync(path, "status=disabled&message=stolen")).AssertError(HttpStatusCode.NotFound, 1020404, "tile:not_found");
            (await bob.DeleteAsync(path)).AssertError(HttpStatusCode.NotFound, 1020404, "tile:not_found");
        }

        var unchanged = (await alice.GetAsync($"tiles/{id}")).Data;
        Assert.Equal("published", unchanged.GetProperty("status").GetString());
        Assert.Equal("secret", unchanged.GetProperty("message").GetString());
    }

    [Fact]
    public async Task Another_stacks_filters_and_content_never_show_the_tile()
    {
        var alice = await factory.NewStackClientAsync();
        var bob = await factory.NewStackClientAsync();
        var aliceTag = await alice.CreateTagAsync("Alice's tag");
        var id = (await alice.CreateTileAsync($"message=secret&tags={aliceTag}")).GetProperty("id").GetString()!;

        Assert.Empty(await bob.ContentIdsAsync(bob.LatestFilterId));
        foreach (var status in new[] { "published", "queued", "disabled" })
        {
            Assert.Empty(await bob.ContentIdsAsync(bob.LatestFilterId, $"status={status}"));
        }

        Assert.Equal(0, (await bob.GetAsync($"filters/{bob.LatestFilterId}/summaries")).Data[0].GetProperty("quantity").GetInt64());
        (await bob.GetAsync($"filters/{alice.LatestFilterId}/content")).AssertError(HttpStatusCode.NotFound, 1030404, "filter:not_found");
        (await bob.GetAsync($"filters/{alice.LatestFilterId}/summaries")).AssertError(HttpStatusCode.NotFound, 1030404, "filter:not_found");
        (await bob.GetAsync($"filters/{bob.LatestFilterId}/content", $"since_id={id}")).AssertError(HttpStatusCode.BadRequest, 1030400);
        (await bob.GetAsync($"tags/{aliceTag}/summaries")).AssertError(HttpStatusCode.NotFound, 1070404, "tag:not_found");

        Assert.Equal([id], await alice.ContentIdsAsync(alice.LatestFilterId));
    }

    [Fact]
    public async Task A_tile_cannot_take_another_stacks_tag_or_term()
    {
        var alice = await factory.NewStackClientAsync();
        var bob = await factory.NewStackClientAsync();
        var aliceTag = await alice.CreateTagAsync("Alice's tag");
        var aliceTerm = await alice.CreateTermAsync("name=Alice+feed&network=sta_feed&type=post");

        var tagged = await bob.PostTileAsync($"message=m&tags={aliceTag}", bob.PostTermId);
        tagged.AssertError(HttpStatusCode.BadRequest, 1020400);
        Assert.StartsWith("tags", tagged.Error.GetProperty("message").GetString(), StringComparison.Ordinal);

        foreach (var termId in new[] { aliceTerm, alice.PostTermId })
        {
            var viaTerm = await bob.PostTileAsync("message=m", termId);
            viaTerm.AssertError(HttpStatusCode.BadRequest, 1020400);
            Assert.StartsWith("term_id", viaTerm.Error.GetProperty("message").GetString(), StringComparison.Ordinal);
        }

        var bobsTile = (await bob.CreateTileAsync("message=mine")).GetProperty("id").GetString()!;
        (await bob.PutQueryAsync($"tiles/{bobsTile}", $"tags={aliceTag}")).AssertError(HttpStatusCode.BadRequest, 1020400);
        Assert.Equal(0, (await bob.GetAsync($"tiles/{bobsTile}")).Data.GetProperty("tags").GetArrayLength());

        Assert.Empty(await alice.ContentIdsAsync(alice.LatestFilterId));
        Assert.Equal(0, (await alice.GetAsync($"tags/{aliceTag}/summaries")).Data[0].GetProperty("quantity").GetInt64());
    }
}
