using System.Net;
using Tessera.Tests.Infrastructure;

namespace Tessera.Tests.Filters;

/// <summary>A token of stack A never reads or changes a filter of stack B, nor filters by B's tags.</summary>
[Collection(ApiCollection.Name)]
public sealed class FilterIsolationTests(TesseraFactory factory)
{
    [Fact]
    public async Task Two_stacks_cannot_see_or_touch_each_others_filters()
    {
        var alice = await factory.NewStackClientAsync();
        var bob = await factory.NewStackClientAsync();
        var secret = await alice.CreateFilterAsync("name=Alice+only");
        await alice.CreateTileAsync("message=alice");

        Assert.Equal([bob.LatestFilterId], (await bob.GetAsync("filters")).Data.EnumerateArray().Select(f => f.GetProperty("id").GetInt32()));
        foreach (var id in new[] { secret, alice.LatestFilterId })
        {
            (await bob.GetAsync($"filters/{id}")).AssertError(HttpStatusCode.NotFound, 1030404, "filter:not_found");
            (await bob.GetAsync($"filters/{id}/content")).AssertError(HttpStatusCode.NotFound, 1030404, "filter:not_found");
            (await bob.GetAsync($"filters/{id}/summaries")).AssertError(HttpStatusCode.NotFound, 1030404, "filter:not_found");
            (await bob.PutQueryAsync($"filters/{id}", "name=Stolen")).AssertError(HttpStatusCode.NotFound, 1030404, "filter:not_found");
            (await bob.DeleteAsync($"filters/{id}")).AssertError(HttpStatusCode.NotFound, 1030404, "filter:not_found");
        }

        Assert.Equal("Alice only", (await alice.GetAsync($"filters/{secret}")).Data.GetProperty("name").GetString());
        Assert.Single(await alice.ContentIdsAsync(secret));
    }

    [Fact]
    public async Task A_filter_cannot_name_another_stacks_tag()
    {
        var alice = await factory.NewStackClientAsync();
        var bob = await factory.NewStackClientAsync();
        var alicesTag = await alice.CreateTagAsync("Alice's tag");
        await alice.CreateTileAsync($"message=alice&tags={alicesTag}");
        var bobsTag = await bob.CreateTagAsync("Bob's tag");
        var bobsFilter = await bob.CreateFilterAsync($"name=Mine&tags%5B0%5D={bobsTag}");

        var create = await bob.PostFormAsync("filters", $"name=Sneaky&tags%5B0%5D={alicesTag}");
        create.AssertError(HttpStatusCode.BadRequest, 1030400);
        Assert.StartsWith("tags", create.Error.GetProperty("message").GetString(), StringComparison.Ordinal);
        (await bob.PutQueryAsync($"filters/{bobsFilter}", $"tags%5B0%5D={bobsTag}&tags%5B1%5D={alicesTag}")).AssertError(HttpStatusCode.BadRequest, 1030400);
        (await bob.SendRawJsonAsync(HttpMethod.Put, $"filters/{bobsFilter}", $$"""{"tags": [{{alicesTag}}]}""")).AssertError(HttpStatusCode.BadRequest, 1030400);

        Assert.Equal([bobsTag], (await bob.GetAsync($"filters/{bobsFilter}")).Data.GetProperty("tags").EnumerateArray().Select(t => t.GetInt32()));
        Assert.Empty(await bob.ContentIdsAsync(bobsFilter));
        Assert.Equal(2, (await bob.GetAsync("filters")).Data.GetArrayLength()); // "Latest" and "Mine"
    }
}
