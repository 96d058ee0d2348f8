using System.Globalization;
using System.Net;
using Tessera.Tests.Infrastructure;

namespace Tessera.Tests.Tiles;

/// <summary>
/// Concurrent writes to tiles: every answer is a 200 or a clear 4xx, never a 500, and what the API
/// reports afterwards is consistent (a tile's status and tags agree with what filters and summaries see).
/// </summary>
[Collection(ApiCollection.Name)]
public sealed class TileConcurrencyTests(TesseraFactory factory)
{
    [Fact]
    public async Task Concurrent_posts_are_each_answered_for_their_own_tile_even_when_one_repeats_a_guid()
    {
        // Concurrent posts are saved in shared batches (group commit); a duplicate guid fails only its own post.
        var api = await factory.NewStackClientAsync();
        var tag = await api.CreateTagAsync("Batch");
        var posts = Enumerable.Range(0, 24)
            .Select(i => api.PostTileAsync($"message=Post+{i}&tags={tag}&guid=" + (i is 5 or 17 ? "shared-guid" : $"guid-{i}"), api.PostTermId))
            .ToList();
        var answers = await Task.WhenAll(posts);

        Assert.Equal(23, answers.Count(r => r.Status == HttpStatusCode.OK));
        var refused = Assert.Single(answers, r => r.Status != HttpStatusCode.OK);
        refused.AssertError(HttpStatusCode.Conflict, 1020409, "tile:guid_exists");
        var ids = answers.Where(r => r.Status == HttpStatusCode.OK).Select(r => r.Data.GetProperty("id").GetString()!).ToHashSet();
        Assert.Equal(23, ids.Count);
        Assert.Equal(23, (await api.GetAsync($"tags/{tag}/summaries")).Data[0].GetProperty("quantity").GetInt64());
        foreach (var answer in answers.Where(r => r.Status == HttpStatusCode.OK))
        {
            var stored = (await api.GetAsync($"tiles/{answer.Data.GetProperty("id").GetString()}")).Data;
            Assert.Equal(answer.Data.GetProperty("message").GetString(), stored.GetProperty("message").GetString());
            Assert.Equal(answer.Data.GetProperty("guid").GetString(), stored.GetProperty("guid").GetString());
        }
    }

    [Fact]
    public async Task A_status_change_and_a_retag_at_the_same_time_leave_filters_consistent_with_the_tile()
    {
        var api = await factory.NewStackClientAsync();
        var a = await api.CreateTagAsync("A");
        var b = await api.CreateTagAsync("B");
        var filterB = await api.CreateFilterAsync($"name=B&tags%5B0%5D={b}");
        var inconsistent = new List<string>();
        for (var i = 0; i < 20; i++)
        {
            var id = (await api.CreateTileAsync($"message={i}&tags={a}")).GetProperty("id").GetString()!;
            var answers = await Task.WhenAll(
                api.PutQueryAsync($"tiles/{id}", "status=disabled"),
                api.PutQueryAsync($"tiles/{id}", $"tags={a},{b}"));
            Assert.All(answers, r => Assert.True(r.Status is HttpStatusCode.OK or HttpStatusCode.Conflict, r.Body));

            var tile = (await api.GetAsync($"tiles/{id}")).Data;
            var status = tile.GetProperty("status").GetString();
            var hasB = tile.GetProperty("tags").EnumerateArray().Any(t => t.GetString() == b.ToString(CultureInfo.InvariantCulture));
            var publishedInB = (await api.ContentIdsAsync(filterB, "limit=100")).Contains(id);
            if (publishedInB != (status == "published" && hasB))
            {
                inconsistent.Add($"{id}: status {status}, tags B {hasB}, in B's published content {publishedInB}");
            }
        }

        Assert.True(inconsistent.Count == 0, string.Join("\n", inconsistent));
    }

    [Fact]
    public async Task Concurrent_retags_of_one_tile_leave_one_of_the_requested_sets()
    {
        var api = await factory.NewStackClientAsync();
        var tags = new List<int>();
        for (var i = 0; i < 4; i++)
        {
            tags.Add(await api.CreateTagAsync($"T{i}"));
        }

        var id = (await api.CreateTileAsync("message=m")).GetProperty("id").GetString()!;
        string[] sets = [$"{tags[0]},{tags[1]}", $"{tags[2]},{tags[3]}", $"{tags[1]},{tags[2]}", $"{tags[3]}", $"{tags[0]},{tags[3]},{tags[2]}"];
        var answers = await Task.WhenAll(sets.Select(s => api.PutQueryAsync($"tiles/{id}", $"tags={s}")));
        Assert.All(answers, r => Assert.True(r.Status is HttpStatusCode.OK or HttpStatusCode.Conflict, r.Body));

        var final = string.Join(",", (await api.GetAsync($"tiles/{id}")).Data.GetProperty("tags").EnumerateArray().Select(t => t.GetString()));
        Assert.Contains(final, sets);
        foreach (var tag in tags)
        {
            var carried = final.Split(',').Contains(tag.ToString(CultureInfo.InvariantCulture)) ? 1 : 0;
            Assert.Equal(carried, (await api.GetAsync($"tags/{tag}/summaries")).Data[0].GetProperty("quantity").GetInt64());
        }
    }

    [Fact]
    public async Task Deleting_a_tag_while_tiles_are_posted_with_it_is_never_a_500()
    {
        var api = await factory.NewStackClientAsync();
        var failures = new List<string>();
        var wins = 0;
        for (var round = 0; round < 8; round++)
        {
            var tag = await api.CreateTagAsync($"Doomed {round}");
            // One tile surely carries the tag before the race, so the delete always has links to remove.
            var settled = await api.PostTileAsync($"message=settled&tags={tag}", api.PostTermId);
            Assert.Equal(HttpStatusCode.OK, settled.Status);
            wins++;
            var posts = Enumerable.Range(0, 6).Select(i => api.PostTileAsync($"message={i}&tags={tag}", api.PostTermId)).ToList();
            var delete = api.DeleteAsync($"tags/{tag}");
            var answers = await Task.WhenAll(posts);
            wins += answers.Count(r => r.Status == HttpStatusCode.OK);
            // A post wins (200) or finds the tag gone (400); the delete always succeeds.
            failures.AddRange(answers.Where(r => r.Status is not (HttpStatusCode.OK or HttpStatusCode.BadRequest)).Select(r => $"POST {(int)r.Status} {r.Body}"));
            var deleted = await delete;
            if (deleted.Status != HttpStatusCode.OK)
            {
                failures.Add($"DELETE {(int)deleted.Status} {deleted.Body}");
            }
        }

        Assert.True(failures.Count == 0, $"{failures.Count} unexpected answers, e.g. {failures.FirstOrDefault()}");

        // Every winning post is stored, and no tile is left carrying a deleted tag.
        var content = await api.GetAsync($"filters/{api.LatestFilterId}/content", "limit=100");
        Assert.Equal(wins, content.Data.GetArrayLength());
        Assert.All(content.Data.EnumerateArray(), t => Assert.Equal(0, t.GetProperty("tags").GetArrayLength()));
    }
}
