using System.Text;
using Tessera.Tests.Infrastructure;

namespace Tessera.Tests.Compat;

/// <summary>Every way the PHP SDK (and other Stackla clients) encode parameters is understood.</summary>
[Collection(ApiCollection.Name)]
public sealed class EncodingTests(TesseraFactory factory)
{
    [Fact]
    public async Task Urlencoded_post_with_auth_first_in_the_query()
    {
        var api = await factory.NewStackClientAsync();
        var response = await api.PostFormAsync("tags", "tag=Plus+and%20percent&type=content");
        response.AssertOk();
        Assert.Equal("Plus and percent", response.Data.GetProperty("tag").GetString());
    }

    [Fact]
    public async Task Put_with_data_only_in_the_query_string()
    {
        var api = await factory.NewStackClientAsync();
        var id = await api.CreateTagAsync("Before");
        (await api.PutQueryAsync($"tags/{id}", "tag=After&priority=5")).AssertOk();
        var tag = (await api.GetAsync($"tags/{id}")).Data;
        Assert.Equal("After", tag.GetProperty("tag").GetString());
        Assert.Equal(5, tag.GetProperty("priority").GetInt32());
    }

    [Fact]
    public async Task Put_with_data_in_query_and_duplicated_form_body_as_sdk_v1_0()
    {
        var api = await factory.NewStackClientAsync();
        var id = await api.CreateTagAsync("Dup");
        var response = await api.SendAsync(HttpMethod.Put, api.Url($"tags/{id}", "tag=Dup2"),
            new StringContent("tag=Dup2", Encoding.UTF8, "application/x-www-form-urlencoded"));
        response.AssertOk();
        Assert.Equal("Dup2", response.Data.GetProperty("tag").GetString());
    }

    [Fact]
    public async Task Json_body_without_content_type_is_sniffed()
    {
        var api = await factory.NewStackClientAsync();
        var response = await api.SendRawJsonAsync(HttpMethod.Post, "tags", "{\"tag\":\"From JSON \\u00e9\",\"type\":\"content\",\"custom_url\":\"http:\\/\\/example.com\\/\"}");
        response.AssertOk();
        Assert.Equal("From JSON é", response.Data.GetProperty("tag").GetString());
        Assert.Equal("http://example.com/", response.Data.GetProperty("custom_url").GetString());
    }

    [Fact]
    public async Task Json_body_with_a_wrong_content_type_is_sniffed()
    {
        var api = await factory.NewStackClientAsync();
        var response = await api.SendAsync(HttpMethod.Post, api.Url("tags"), new StringContent("{\"tag\":\"Sniffed\",\"type\":\"content\"}", Encoding.UTF8, "text/plain"));
        response.AssertOk();
    }

    [Fact]
    public async Task Json_body_sent_as_a_form_is_sniffed()
    {
        // What `curl --data '{…}'` sends: a JSON body labelled as a form.
        var api = await factory.NewStackClientAsync();
        var response = await api.SendAsync(HttpMethod.Post, api.Url("tags"),
            new StringContent("{\"tag\":\"Curl JSON\",\"type\":\"product\"}", Encoding.UTF8, "application/x-www-form-urlencoded"));
        response.AssertOk();
        Assert.Equal("Curl JSON", response.Data.GetProperty("tag").GetString());
        Assert.Equal("product", response.Data.GetProperty("type").GetString());
    }

    [Fact]
    public async Task Json_body_with_json_content_type()
    {
        var api = await factory.NewStackClientAsync();
        var response = await api.SendAsync(HttpMethod.Post, api.Url("tags"), new StringContent("{\"tag\":\"Typed\",\"type\":\"product\"}", Encoding.UTF8, "application/json"));
        response.AssertOk();
        Assert.Equal("product", response.Data.GetProperty("type").GetString());
    }

    [Fact]
    public async Task Empty_json_array_body_means_no_fields()
    {
        var api = await factory.NewStackClientAsync();
        var id = await api.CreateTagAsync("Unchanged");
        (await api.SendRawJsonAsync(HttpMethod.Put, $"tags/{id}", "[]")).AssertOk();
        Assert.Equal("Unchanged", (await api.GetAsync($"tags/{id}")).Data.GetProperty("tag").GetString());
    }

    [Fact]
    public async Task Multipart_form_data_post()
    {
        var api = await factory.NewStackClientAsync();
        using var form = new MultipartFormDataContent { { new StringContent("Multipart tag"), "tag" }, { new StringContent("competition"), "type" } };
        var response = await api.SendAsync(HttpMethod.Post, api.Url("tags"), form);
        response.AssertOk();
        Assert.Equal("competition", response.Data.GetProperty("type").GetString());
    }

    [Theory]
    [InlineData("categories%5B0%5D=shoes&categories%5B2%5D=sale", new[] { "shoes", "sale" })]   // sparse indices (WP's array_intersect)
    [InlineData("categories%5B2%5D=sale&categories%5B0%5D=shoes", new[] { "shoes", "sale" })]   // ordered by index
    [InlineData("categories%5B%5D=a&categories%5B%5D=b", new[] { "a", "b" })]                   // tags[]=
    [InlineData("categories=a,b,c", new[] { "a", "b", "c" })]                                    // CSV
    [InlineData("categories=%5B%22x%22%2C%22y%22%5D", new[] { "x", "y" })]                      // a JSON array as a string
    [InlineData("categories=", new string[0])]                                                   // empty clears
    [InlineData("categories%5B%5D=", new string[0])]                                             // tags[]= clears
    public async Task List_fields_accept_every_array_form(string form, string[] expected)
    {
        var api = await factory.NewStackClientAsync();
        var response = await api.PostFormAsync("tags", $"tag=Lists&type=product&{form}");
        response.AssertOk();
        Assert.Equal(expected, response.Data.GetProperty("categories").EnumerateArray().Select(c => c.GetString()!));
    }

    [Fact]
    public async Task Leading_empty_query_segment_and_bare_keys_are_tolerated()
    {
        // Tile::create builds "tiles?&access_token=…"; Guzzle writes null as a bare key.
        var api = await factory.NewStackClientAsync();
        var response = await api.SendAsync(HttpMethod.Post, $"/api/tags?&access_token={api.Token}&stack={api.Stack}",
            new StringContent("tag=Bare&type=content&description", Encoding.UTF8, "application/x-www-form-urlencoded"));
        response.AssertOk();
        Assert.Equal(string.Empty, response.Data.GetProperty("description").GetString());
    }

    [Fact]
    public async Task Booleans_accept_0_1_true_false_and_empty()
    {
        var api = await factory.NewStackClientAsync();
        var id = await api.CreateTagAsync("Bools", "&vote_enabled=true");
        Assert.Equal(1, (await api.GetAsync($"tags/{id}")).Data.GetProperty("vote_enabled").GetInt32());
        (await api.PutQueryAsync($"tags/{id}", "vote_enabled=0")).AssertOk();
        Assert.Equal(0, (await api.GetAsync($"tags/{id}")).Data.GetProperty("vote_enabled").GetInt32());
        (await api.PutQueryAsync($"tags/{id}", "vote_enabled=1&publicly_visible=")).AssertOk();
        var tag = (await api.GetAsync($"tags/{id}")).Data;
        Assert.Equal(1, tag.GetProperty("vote_enabled").GetInt32());
        Assert.Equal(0, tag.GetProperty("publicly_visible").GetInt32());
    }

    [Fact]
    public async Task Body_values_win_over_query_values()
    {
        var api = await factory.NewStackClientAsync();
        var response = await api.PostFormAsync("tags", "tag=From+body&type=content", query: "tag=From+query");
        Assert.Equal("From body", response.Data.GetProperty("tag").GetString());
    }

    [Fact]
    public async Task A_stack_field_in_the_body_neither_selects_nor_refuses_a_stack()
    {
        var api = await factory.NewStackClientAsync();
        var other = await factory.CreateStackAsync();

        // The query names the token's stack; a body "stack" of another stack changes nothing.
        (await api.PostFormAsync("tags", $"tag=T&type=content&stack={other.Stack}")).AssertOk();

        // The query names another stack; a body "stack" naming the token's cannot talk it round.
        var response = await api.SendAsync(HttpMethod.Post, $"/api/tags?access_token={api.Token}&stack={other.Stack}",
            new StringContent($"tag=U&type=content&stack={api.Stack}", Encoding.UTF8, "application/x-www-form-urlencoded"));
        response.AssertError(System.Net.HttpStatusCode.Unauthorized, 1010401, "request:stack_mismatch");
    }

    [Fact]
    public async Task Empty_brackets_after_an_explicit_index_append_like_php()
    {
        var api = await factory.NewStackClientAsync();
        var response = await api.PostFormAsync("tags", "tag=Php&type=product&categories%5B1%5D=a&categories%5B%5D=b&categories%5B5%5D=c&categories%5B%5D=d");
        response.AssertOk();
        Assert.Equal(["a", "b", "c", "d"], response.Data.GetProperty("categories").EnumerateArray().Select(c => c.GetString()!));
    }
}
