using System.Net;
using Tessera.Tests.Infrastructure;

namespace Tessera.Tests.ModerationViews;

/// <summary>A token of stack A never reads or changes a moderation view of stack B, nor makes a view of B's tags or terms.</summary>
[Collection(ApiCollection.Name)]
public sealed class ModerationViewIsolationTests(TesseraFactory factory)
{
    [Fact]
    public async Task Another_stacks_views_are_invisible_by_every_path()
    {
        var alice = (await ModerationViewClients.CreateAsync(factory)).Owner;
        var bob = (await ModerationViewClients.CreateAsync(factory)).Owner;
        var shared = await alice.CreateViewAsync("view_name=Alice+public&access_type=public&columns_pin_col=1");
        var secret = await alice.CreateViewAsync("view_name=Alice+private&access_type=private");
        var bobs = await bob.CreateViewIdAsync("view_name=Bob");

        Assert.Equal([bobs], await bob.ListViewIdsAsync());
        foreach (var view in new[] { shared, secret })
        {
            var id = view.GetProperty("id").GetInt32();
            (await bob.GetAsync($"moderationviews/{id}")).AssertError(HttpStatusCode.NotFound, 1050404, "moderation_view:not_found");
            (await bob.GetAsync($"moderationviews/{id}.json")).AssertError(HttpStatusCode.NotFound, 1050404, "moderation_view:not_found");
            (await bob.PutQueryAsync($"moderationviews/{id}", "view_name=Stolen")).AssertError(HttpStatusCode.NotFound, 1050404, "moderation_view:not_found");
            (await bob.SendRawJsonAsync(HttpMethod.Put, $"moderationviews/{id}", """{"access_type": "public"}""")).AssertError(HttpStatusCode.NotFound, 1050404, "moderation_view:not_found");
            (await bob.DeleteAsync($"moderationviews/{id}")).AssertError(HttpStatusCode.NotFound, 1050404, "moderation_view:not_found");

            // Naming Alice's stack explicitly with Bob's token is refused before any lookup.
            var crossStack = await bob.SendAsync(HttpMethod.Get, $"/api/moderationviews/{id}?access_token={bob.Token}&stack={alice.Stack}");
            Assert.Equal(HttpStatusCode.Unauthorized, crossStack.Status);
            Assert.DoesNotContain("Alice", crossStack.Body, StringComparison.Ordinal);

            var still = await alice.GetAsync($"moderationviews/{id}");
            still.AssertOk();
            Assert.Equal(view.GetRawText(), still.Data.GetRawText());
        }

        Assert.Equal([shared.GetProperty("id").GetInt32(), secret.GetProperty("id").GetInt32()], await alice.ListViewIdsAsync());
    }

    [Fact]
    public async Task A_view_cannot_filter_by_another_stacks_tags_or_terms()
    {
        var alice = (await ModerationViewClients.CreateAsync(factory)).Owner;
        var bob = (await ModerationViewClients.CreateAsync(factory)).Owner;
        var alicesTag = await alice.CreateTagAsync("Alice's tag");
        var alicesTerm = await alice.CreateTermAsync("term=alice&type=hashtag&network=twitter");
        var bobsTag = await bob.CreateTagAsync("Bob's tag");
        var bobsView = await bob.CreateViewIdAsync($"view_name=Mine&filter_value_tags={bobsTag}");

        var create = await bob.PostFormAsync("moderationviews", $"view_name=Sneaky&filter_value_tags%5B0%5D={alicesTag}&filter_value_terms%5B0%5D={alicesTerm}");
        create.AssertError(HttpStatusCode.BadRequest, 1050400);
        Assert.Contains(create.Errors.EnumerateArray(), e => e.GetProperty("message").GetString()!.StartsWith("filter_value_tags", StringComparison.Ordinal));
        Assert.Contains(create.Errors.EnumerateArray(), e => e.GetProperty("message").GetString()!.StartsWith("filter_value_terms", StringComparison.Ordinal));
        (await bob.PutQueryAsync($"moderationviews/{bobsView}", $"filter_value_tags={bobsTag},{alicesTag}")).AssertError(HttpStatusCode.BadRequest, 1050400);
        (await bob.SendRawJsonAsync(HttpMethod.Put, $"moderationviews/{bobsView}", $$"""{"filter_value_terms": [{{alicesTerm}}]}""")).AssertError(HttpStatusCode.BadRequest, 1050400);

        var view = (await bob.GetAsync($"moderationviews/{bobsView}")).Data;
        Assert.Equal([bobsTag], view.GetProperty("filter").GetProperty("tags").Ints());
        Assert.Empty(view.GetProperty("filter").GetProperty("terms").EnumerateArray());
        Assert.Equal([bobsView], await bob.ListViewIdsAsync());
    }
}
