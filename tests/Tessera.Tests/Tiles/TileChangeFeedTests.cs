using System.Net;
using System.Text.Json;
using Tessera.Tests.Infrastructure;

namespace Tessera.Tests.Tiles;

/// <summary>
/// <c>GET /api/tiles/changes?since=CURSOR&amp;limit=N</c> (decisions §6): what was published, edited
/// while published, or taken out of publication (a tombstone), oldest first; <c>next_cursor</c>
/// resumes after the last item, so a client that keeps it sees every change once.
/// </summary>
[Collection(ApiCollection.Name)]
public sealed class TileChangeFeedTests(TesseraFactory factory)
{
    private const int InvalidTileRequest = 1020400;

    [Fact]
    public async Task Publishing_a_tile_is_an_upsert_carrying_the_tile()
    {
        var api = await factory.NewStackClientAsync();
        var id = await PostAsync(api, "message=hello");

        var (changes, next) = await ReadAtLeastAsync(api, null, 1);

        var change = Assert.Single(changes);
        Assert.Equal("upserted", change.Kind);
        Assert.Equal(id, change.Id);
        Assert.Equal(id, change.Tile.GetProperty("id").GetString());
        Assert.Equal("hello", change.Tile.GetProperty("message").GetString());
        Assert.Equal("published", change.Tile.GetProperty("status").GetString());
        Assert.False(string.IsNullOrEmpty(change.Cursor));
        Assert.Equal(change.Cursor, next);
    }

    [Fact]
    public async Task Tiles_created_unpublished_are_no_change_until_published()
    {
        var api = await factory.NewStackClientAsync();
        var queued = await PostAsync(api, "message=queued&status=queued");
        await PostAsync(api, "message=disabled&status=disabled");
        var marker = await PostAsync(api, "message=marker");

        var (changes, next) = await ReadAtLeastAsync(api, null, 1);
        Assert.Equal([("upserted", marker)], changes.Select(c => (c.Kind, c.Id)));

        (await api.PutQueryAsync($"tiles/{queued}", "status=published")).AssertOk();

        var (published, _) = await ReadAtLeastAsync(api, next, 1);
        Assert.Equal([("upserted", queued)], published.Select(c => (c.Kind, c.Id)));
        Assert.Equal("published", published[0].Tile.GetProperty("status").GetString());
    }

    [Fact]
    public async Task Editing_or_retagging_a_published_tile_is_an_upsert_with_its_new_state()
    {
        var api = await factory.NewStackClientAsync();
        var tag = await api.CreateTagAsync("T");
        var id = await PostAsync(api, "message=before");
        var (_, start) = await ReadAtLeastAsync(api, null, 1);

        (await api.PutQueryAsync($"tiles/{id}", "message=after")).AssertOk();
        var (edited, afterEdit) = await ReadAtLeastAsync(api, start, 1);
        var edit = Assert.Single(edited);
        Assert.Equal(("upserted", id), (edit.Kind, edit.Id));
        Assert.Equal("after", edit.Tile.GetProperty("message").GetString());

        (await api.PutQueryAsync($"tiles/{id}", $"tags={tag}")).AssertOk();
        var (retagged, _) = await ReadAtLeastAsync(api, afterEdit, 1);
        var retag = Assert.Single(retagged);
        Assert.Equal(("upserted", id), (retag.Kind, retag.Id));
        Assert.Equal([$"{tag}"], retag.Tile.GetProperty("tags").EnumerateArray().Select(t => t.GetString()));
    }

    [Fact]
    public async Task Editing_an_unpublished_tile_is_no_change()
    {
        var api = await factory.NewStackClientAsync();
        var queued = await PostAsync(api, "message=queued&status=queued");
        (await api.PutQueryAsync($"tiles/{queued}", "message=still+queued")).AssertOk();
        (await api.PutQueryAsync($"tiles/{queued}", "status=disabled")).AssertOk();
        var marker = await PostAsync(api, "message=marker");

        var (changes, _) = await ReadAtLeastAsync(api, null, 1);

        Assert.Equal([("upserted", marker)], changes.Select(c => (c.Kind, c.Id)));
    }

    [Fact]
    public async Task Disabling_or_queueing_a_published_tile_is_a_removal_without_a_tile()
    {
        var api = await factory.NewStackClientAsync();
        var deleted = await PostAsync(api, "message=deleted");
        var queued = await PostAsync(api, "message=queued");
        var (_, start) = await ReadAtLeastAsync(api, null, 2);

        (await api.DeleteAsync($"tiles/{deleted}")).AssertOk();
        (await api.PutQueryAsync($"tiles/{queued}", "status=queued")).AssertOk();

        var (removed, next) = await ReadAtLeastAsync(api, start, 2);
        Assert.Equal([("removed", deleted), ("removed", queued)], removed.Select(c => (c.Kind, c.Id)));
        Assert.All(removed, c => Assert.Equal(JsonValueKind.Null, c.Tile.ValueKind));

        (await api.PutQueryAsync($"tiles/{queued}", "status=published")).AssertOk();
        var (back, _) = await ReadAtLeastAsync(api, next, 1);
        Assert.Equal([("upserted", queued)], back.Select(c => (c.Kind, c.Id)));
    }

    [Fact]
    public async Task Paging_with_limit_and_next_cursor_never_repeats_or_skips()
    {
        var api = await factory.NewStackClientAsync();
        var expected = new List<(string, string)>();
        for (var i = 0; i < 7; i++)
        {
            expected.Add(("upserted", await PostAsync(api, $"message={i}")));
        }

        var seen = new List<Change>();
        var (page, cursor) = await ReadAtLeastAsync(api, null, 3, limit: 3);
        Assert.Equal(3, page.Count);
        seen.AddRange(page);

        // Changes made while paging come after what was already read.
        expected.Add(("upserted", await PostAsync(api, "message=late")));
        (await api.DeleteAsync($"tiles/{expected[0].Item2}")).AssertOk();
        expected.Add(("removed", expected[0].Item2));

        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (seen.Count < expected.Count && DateTime.UtcNow < deadline)
        {
            (page, var next) = await ReadAsync(api, cursor, limit: 3);
            Assert.True(page.Count <= 3);
            Assert.Equal(page.Count == 0 ? cursor : page[^1].Cursor, next);
            seen.AddRange(page);
            cursor = next;
            if (page.Count == 0)
            {
                await Task.Delay(50);
            }
        }

        Assert.Equal(expected, seen.Select(c => (c.Kind, c.Id)));
        Assert.Equal(seen.Count, seen.Select(c => c.Cursor).Distinct().Count());
        var (rest, same) = await ReadAsync(api, cursor, limit: 3);
        Assert.Empty(rest);
        Assert.Equal(cursor, same);
    }

    [Fact]
    public async Task With_nothing_new_the_feed_is_empty_and_keeps_the_cursor()
    {
        var api = await factory.NewStackClientAsync();
        var (empty, origin) = await ReadAsync(api, null);
        Assert.Empty(empty);
        Assert.False(string.IsNullOrEmpty(origin));

        var id = await PostAsync(api, "message=m");
        var (changes, next) = await ReadAtLeastAsync(api, origin, 1);
        Assert.Equal([id], changes.Select(c => c.Id));

        for (var i = 0; i < 2; i++)
        {
            var (none, same) = await ReadAsync(api, next);
            Assert.Empty(none);
            Assert.Equal(next, same);
        }
    }

    [Fact]
    public async Task Without_since_the_feed_starts_at_the_beginning()
    {
        var api = await factory.NewStackClientAsync();
        string[] ids = [await PostAsync(api, "message=1"), await PostAsync(api, "message=2"), await PostAsync(api, "message=3")];
        var (all, _) = await ReadAtLeastAsync(api, null, 3);
        Assert.Equal(ids, all.Select(c => c.Id));

        var (afterFirst, _) = await ReadAsync(api, all[0].Cursor);
        Assert.Equal(ids[1..], afterFirst.Select(c => c.Id));
        var (again, _) = await ReadAsync(api, null);
        Assert.Equal(ids, again.Select(c => c.Id));
        var (blank, _) = await ReadAsync(api, string.Empty);
        Assert.Equal(ids, blank.Select(c => c.Id));
    }

    [Theory]
    [InlineData("nope!")]
    [InlineData("AAAA")]
    [InlineData("AAAAAAAAAAAAAAAAAAAA")]
    [InlineData("AAAAAAAAAAAAAAAAAAAAAAAA")]
    [InlineData("_____________________w")]
    [InlineData("not a cursor")]
    [InlineData("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")]
    public async Task A_malformed_since_is_a_400(string since)
    {
        var api = await factory.NewStackClientAsync();
        await PostAsync(api, "message=m");

        var response = await api.GetAsync("tiles/changes", $"since={Uri.EscapeDataString(since)}");

        response.AssertError(HttpStatusCode.BadRequest, InvalidTileRequest);
        Assert.Contains("since", response.Error.GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("0")]
    [InlineData("501")]
    [InlineData("-1")]
    [InlineData("many")]
    public async Task A_limit_out_of_range_is_a_400(string limit)
    {
        var api = await factory.NewStackClientAsync();

        var response = await api.GetAsync("tiles/changes", $"limit={limit}");

        response.AssertError(HttpStatusCode.BadRequest, InvalidTileRequest);
    }

    [Fact]
    public async Task Another_stacks_changes_never_appear()
    {
        var mine = await factory.NewStackClientAsync();
        var theirs = await factory.NewStackClientAsync();
        var their = await PostAsync(theirs, "message=theirs");
        (await theirs.DeleteAsync($"tiles/{their}")).AssertOk();
        var (theirChanges, theirCursor) = await ReadAtLeastAsync(theirs, null, 2);
        Assert.Equal(2, theirChanges.Count);
        var (none, _) = await ReadAsync(mine, null);
        Assert.Empty(none);

        var my = await PostAsync(mine, "message=mine");
        await PostAsync(theirs, "message=theirs+again");

        var (mineFromStart, _) = await ReadAtLeastAsync(mine, null, 1);
        Assert.Equal([my], mineFromStart.Select(c => c.Id));
        // A cursor of the other stack's feed only positions the reader; it shows nothing of that stack.
        var (mineFromTheirCursor, _) = await ReadAsync(mine, theirCursor);
        Assert.All(mineFromTheirCursor, c => Assert.Equal(my, c.Id));
    }

    [Fact]
    public async Task The_feed_needs_credentials()
    {
        var api = await factory.NewStackClientAsync();
        await PostAsync(api, "message=m");

        var response = await api.SendAsync(HttpMethod.Get, $"/api/tiles/changes?stack={api.Stack}");

        response.AssertError(HttpStatusCode.Unauthorized, 1010401);
    }

    private sealed record Change(string Cursor, string Kind, string Id, JsonElement Tile);

    private static async Task<(List<Change> Changes, string Next)> ReadAsync(ApiClient api, string? since, int? limit = null) =>
        Typed(await api.ReadChangesAsync(since, limit));

    /// <summary>Reads until at least <paramref name="count"/> changes are there (see <see cref="ChangeFeed.ReadChangesAtLeastAsync"/>).</summary>
    private static async Task<(List<Change> Changes, string Next)> ReadAtLeastAsync(ApiClient api, string? since, int count, int? limit = null) =>
        Typed(await api.ReadChangesAtLeastAsync(since, count, limit));

    private static (List<Change> Changes, string Next) Typed((List<JsonElement> Entries, string Next) read) =>
        ([.. read.Entries.Select(c => new Change(
            c.GetProperty("cursor").GetString()!,
            c.GetProperty("change").GetString()!,
            c.GetProperty("id").GetString()!,
            c.GetProperty("tile")))], read.Next);

    private static async Task<string> PostAsync(ApiClient api, string form) =>
        (await api.CreateTileAsync(form)).GetProperty("id").GetString()!;
}
