using System.Net;
using Tessera.Tests.Infrastructure;

namespace Tessera.Tests.Tags;

/// <summary>A token of stack A never reads or changes a tag of stack B.</summary>
[Collection(ApiCollection.Name)]
public sealed class TagIsolationTests(TesseraFactory factory)
{
    [Fact]
    public async Task Two_stacks_cannot_see_or_touch_each_others_tags()
    {
        var alice = await factory.NewStackClientAsync();
        var bob = await factory.NewStackClientAsync();
        var secret = await alice.CreateTagAsync("Alice only", "&ext_product_id=A-1");

        Assert.Equal(0, (await bob.GetAsync("tags")).Data.GetArrayLength());
        Assert.Equal(0, (await bob.GetAsync("tags", "keyword=Alice")).Data.GetArrayLength());
        Assert.Equal("0", (await bob.GetAsync("tags", "keyword=Alice")).Json.GetProperty("count").GetProperty("total").GetString());
        (await bob.GetAsync($"tags/{secret}")).AssertError(HttpStatusCode.NotFound, 1070404, "tag:not_found");
        (await bob.GetAsync("tags/ext:A-1")).AssertError(HttpStatusCode.NotFound, 1070404, "tag:not_found");
        (await bob.GetAsync($"tags/{secret}/summaries")).AssertError(HttpStatusCode.NotFound, 1070404, "tag:not_found");
        (await bob.PutQueryAsync($"tags/{secret}", "tag=Stolen")).AssertError(HttpStatusCode.NotFound, 1070404, "tag:not_found");
        (await bob.DeleteAsync($"tags/{secret}")).AssertError(HttpStatusCode.NotFound, 1070404, "tag:not_found");

        Assert.Equal("Alice only", (await alice.GetAsync($"tags/{secret}")).Data.GetProperty("tag").GetString());
    }

    [Fact]
    public async Task The_same_name_and_product_id_may_exist_in_two_stacks()
    {
        var alice = await factory.NewStackClientAsync();
        var bob = await factory.NewStackClientAsync();
        await alice.CreateTagAsync("Shared", "&ext_product_id=S-1");
        await bob.CreateTagAsync("Shared", "&ext_product_id=S-1");
        Assert.Equal(alice.StackId, (await alice.GetAsync("tags/ext:S-1")).Data.GetProperty("stack_id").GetInt32());
        Assert.Equal(bob.StackId, (await bob.GetAsync("tags/ext:S-1")).Data.GetProperty("stack_id").GetInt32());
    }
}
