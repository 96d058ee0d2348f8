using System.Net;
using Tessera.Tests.Infrastructure;

namespace Tessera.Tests.Terms;

/// <summary>A token of stack A never reads or changes a term of stack B, nor links B's tags.</summary>
[Collection(ApiCollection.Name)]
public sealed class TermIsolationTests(TesseraFactory factory)
{
    [Fact]
    public async Task Two_stacks_cannot_see_or_touch_each_others_terms()
    {
        var alice = await factory.NewStackClientAsync();
        var bob = await factory.NewStackClientAsync();
        var secret = await alice.CreateTermAsync("name=Alice+only&term=secret&type=hashtag&network=twitter");

        var bobsTerms = (await bob.GetAsync("terms")).Data.EnumerateArray().Select(t => t.GetProperty("id").GetInt32()).ToList();
        Assert.Equal([bob.PostTermId], bobsTerms);
        (await bob.GetAsync($"terms/{secret}")).AssertError(HttpStatusCode.NotFound, 1080404, "term:not_found");
        (await bob.GetAsync($"terms/{alice.PostTermId}")).AssertError(HttpStatusCode.NotFound, 1080404, "term:not_found");
        (await bob.PutQueryAsync($"terms/{secret}", "name=Stolen")).AssertError(HttpStatusCode.NotFound, 1080404, "term:not_found");
        (await bob.DeleteAsync($"terms/{secret}")).AssertError(HttpStatusCode.NotFound, 1080404, "term:not_found");

        var bobsTag = await bob.CreateTagAsync("Bob's tag");
        (await bob.SendAsync(HttpMethod.Post, bob.Url($"terms/{secret}/tags/{bobsTag}"))).AssertError(HttpStatusCode.NotFound, 1080404, "term:not_found");
        (await bob.SendAsync(HttpMethod.Delete, bob.Url($"terms/{secret}/tags/{bobsTag}"))).AssertError(HttpStatusCode.NotFound, 1080404, "term:not_found");

        var term = (await alice.GetAsync($"terms/{secret}")).Data;
        Assert.Equal("Alice only", term.GetProperty("name").GetString());
        Assert.Equal(0, term.GetProperty("tags").GetArrayLength());
    }

    [Fact]
    public async Task A_term_cannot_take_another_stacks_tag()
    {
        var alice = await factory.NewStackClientAsync();
        var bob = await factory.NewStackClientAsync();
        var alicesTag = await alice.CreateTagAsync("Alice's tag");
        var bobsTerm = await bob.CreateTermAsync("term=x&type=hashtag&network=twitter");

        (await bob.PostFormAsync("terms", $"term=y&type=hashtag&network=twitter&tags%5B0%5D={alicesTag}")).AssertError(HttpStatusCode.BadRequest, 1080400);
        (await bob.PutQueryAsync($"terms/{bobsTerm}", $"tags%5B0%5D={alicesTag}")).AssertError(HttpStatusCode.BadRequest, 1080400);
        (await bob.SendAsync(HttpMethod.Post, bob.Url($"terms/{bobsTerm}/tags/{alicesTag}"))).AssertError(HttpStatusCode.NotFound, 1080404);
        Assert.Equal(0, (await bob.GetAsync($"terms/{bobsTerm}")).Data.GetProperty("tags").GetArrayLength());
    }
}
