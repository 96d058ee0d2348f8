using System.Net;
using System.Text.Json;
using Tessera.Tests.Infrastructure;

namespace Tessera.Tests.Terms;

/// <summary>The PHP SDK's TermTest (reference §3.3), replayed with the SDK's exact encodings.</summary>
[Collection(ApiCollection.Name)]
public sealed class TermSdkFlowTests(TesseraFactory factory)
{
    private const string U = "5f3a9c1b2d4e7";

    [Fact]
    public async Task Sdk_term_test_flow_create_update_tag_untag_remove()
    {
        var api = await factory.NewStackClientAsync();
        var defaultTagId = await api.CreateTagAsync($"Default tag {U}");

        // testCreate: a hashtag term, no user lookup.
        var created = await api.PostFormAsync("terms",
            $"name=Test+term+{U}&display_name=Test+term+{U}&active=1&num_of_backfill=0&term=stacklalife&type=hashtag&filter=&network=twitter&disable_badword=0&moderate_text=publish&moderate_image=publish&moderate_video=publish");
        created.AssertOk();
        var id = created.Data.GetProperty("id").GetInt32();
        Assert.True(id > 0);
        var fetched = await api.GetAsync($"terms/{id}");
        fetched.AssertOk();
        Assert.Equal($"Test term {U}", fetched.Data.GetProperty("name").GetString());
        Assert.Equal($"Test term {U}", fetched.Data.GetProperty("display_name").GetString());
        Assert.Equal("stacklalife", fetched.Data.GetProperty("term").GetString());
        Assert.Equal("hashtag", fetched.Data.GetProperty("type").GetString());
        Assert.Equal("twitter", fetched.Data.GetProperty("network").GetString());
        Assert.Equal(string.Empty, fetched.Data.GetProperty("filter").GetString());
        Assert.Equal(1, fetched.Data.GetProperty("active").GetInt32());

        // testFetch
        var list = await api.GetAsync("terms", "limit=25&page=1");
        list.AssertOk();
        Assert.True(list.Data.GetArrayLength() >= 2); // the stack's UGC Post Feed term and this one

        // testUpdate: data in the query string only.
        (await api.GetAsync($"terms/{id}")).AssertOk();
        (await api.PutQueryAsync($"terms/{id}", $"name=Test+term+{U}+-+Edited&display_name=Test+term+{U}+-+Edited")).AssertOk();
        var edited = (await api.GetAsync($"terms/{id}")).Data;
        Assert.Equal($"Test term {U} - Edited", edited.GetProperty("name").GetString());
        Assert.Equal($"Test term {U} - Edited", edited.GetProperty("display_name").GetString());

        // testAddTag: a bracket array in the PUT query, brackets percent-encoded.
        (await api.GetAsync($"tags/{defaultTagId}")).AssertOk();
        (await api.PutQueryAsync($"terms/{id}", $"tags%5B0%5D={defaultTagId}")).AssertOk();
        var tagged = (await api.GetAsync($"terms/{id}")).Data.GetProperty("tags");
        Assert.True(tagged.GetArrayLength() > 0);
        Assert.Equal(defaultTagId, tagged[0].GetProperty("id").GetInt32());

        // testDeleteTag: an empty value clears the list.
        (await api.GetAsync($"tags/{defaultTagId}")).AssertOk();
        (await api.PutQueryAsync($"terms/{id}", "tags=")).AssertOk();
        Assert.Equal(0, (await api.GetAsync($"terms/{id}")).Data.GetProperty("tags").GetArrayLength());

        // testRemove: 200 with the deleted term, then 404 term:not_found.
        var deleted = await api.DeleteAsync($"terms/{id}");
        deleted.AssertOk();
        Assert.Equal(id, deleted.Data.GetProperty("id").GetInt32());
        var gone = await api.GetAsync($"terms/{id}");
        gone.AssertError(HttpStatusCode.NotFound, 1080404, "term:not_found");
    }

    [Theory]
    [InlineData("twitter", "stacklatest", "")]
    [InlineData("instagram", "stackdev", "")]
    [InlineData("facebook", "CNCASYum", "&include_fan_content=0")]
    public async Task Sdk_user_term_flow_looks_up_the_user_then_creates_fetches_and_deletes(string network, string handle, string facebookExtra)
    {
        var api = await factory.NewStackClientAsync();

        // The SDK's validateUser: terms/user answers with a network user id.
        var lookup = await api.GetAsync("terms/user", $"network={network}&name={handle}");
        lookup.AssertOk();
        var userId = lookup.Data.GetProperty("id").GetString();
        Assert.False(string.IsNullOrEmpty(userId));

        var created = await api.PostFormAsync("terms",
            $"name=Test+user+type+term&display_name=Test+user+term&active=1&num_of_backfill=0&term={handle}&type=user&filter=&network={network}{facebookExtra}&source_user_id={userId}&disable_badword=0&moderate_text=publish&moderate_image=publish&moderate_video=publish");
        created.AssertOk();
        var id = created.Data.GetProperty("id").GetInt32();
        Assert.True(id > 0);

        var fetched = await api.GetAsync($"terms/{id}");
        fetched.AssertOk();
        Assert.Equal(userId, fetched.Data.GetProperty("source_user_id").GetString());
        Assert.Equal(network, fetched.Data.GetProperty("network").GetString());
        Assert.Equal("user", fetched.Data.GetProperty("type").GetString());
        Assert.Equal(handle, fetched.Data.GetProperty("term").GetString());

        (await api.DeleteAsync($"terms/{id}")).AssertOk();
        (await api.GetAsync($"terms/{id}")).AssertError(HttpStatusCode.NotFound, 1080404, "term:not_found");
    }

    [Fact]
    public async Task Sdk_terms_tag_and_fetch_by_id_read_the_post_term_with_created_and_a_tags_array()
    {
        var api = await factory.NewStackClientAsync();

        // testTermsTag and testFetchById use STACKLA_POST_TERM_ID: the stack's UGC Post Feed term.
        var term = await api.GetAsync($"terms/{api.PostTermId}");
        term.AssertOk();
        Assert.Equal(api.PostTermId, term.Data.GetProperty("id").GetInt32());
        Assert.True(term.Data.GetProperty("created").GetInt64() > 0);
        Assert.Equal(JsonValueKind.Array, term.Data.GetProperty("tags").ValueKind);
        Assert.Equal("sta_feed", term.Data.GetProperty("network").GetString());
        Assert.Equal("post", term.Data.GetProperty("type").GetString());
        Assert.Equal("UGC Post Feed", term.Data.GetProperty("name").GetString());
        foreach (var field in new[] { "moderate_text", "moderate_image", "moderate_video" })
        {
            Assert.Equal("publish", term.Data.GetProperty(field).GetString());
        }
    }

    [Fact]
    public async Task User_lookup_is_deterministic_per_network_and_handle_and_not_verified()
    {
        var api = await factory.NewStackClientAsync();
        var first = (await api.GetAsync("terms/user", "network=twitter&name=stacklatest")).Data;
        var again = (await api.GetAsync("terms/user", "network=twitter&name=stacklatest")).Data;
        var otherNetwork = (await api.GetAsync("terms/user", "network=instagram&name=stacklatest")).Data;
        var otherHandle = (await api.GetAsync("terms/user", "network=twitter&name=someoneelse")).Data;

        Assert.Equal(first.GetProperty("id").GetString(), again.GetProperty("id").GetString());
        Assert.NotEqual(first.GetProperty("id").GetString(), otherNetwork.GetProperty("id").GetString());
        Assert.NotEqual(first.GetProperty("id").GetString(), otherHandle.GetProperty("id").GetString());
        Assert.False(first.GetProperty("verified").GetBoolean());
        Assert.Equal("not_connected", first.GetProperty("ingestion_status").GetString());
    }

    [Theory]
    [InlineData("name=stacklatest", "network")]
    [InlineData("network=twitter", "name")]
    [InlineData("network=myspace&name=x", "network")]
    public async Task User_lookup_without_a_valid_network_and_name_is_400(string query, string field)
    {
        var api = await factory.NewStackClientAsync();
        var response = await api.GetAsync("terms/user", query);
        response.AssertError(HttpStatusCode.BadRequest, 1080400);
        Assert.Contains(field, response.Error.GetProperty("message").GetString(), StringComparison.Ordinal);
    }
}
