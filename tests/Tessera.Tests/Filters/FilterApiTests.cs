using System.Net;
using System.Text.Json;
using Tessera.Tests.Infrastructure;

namespace Tessera.Tests.Filters;

/// <summary>Filter CRUD with every list encoding clients use.</summary>
[Collection(ApiCollection.Name)]
public sealed class FilterApiTests(TesseraFactory factory)
{
    [Theory]
    [InlineData("media%5B0%5D=image&media%5B1%5D=video")]
    [InlineData("media%5B0%5D=image&media%5B2%5D=video")]
    [InlineData("media%5B5%5D=video&media%5B0%5D=image")]
    [InlineData("media[0]=image&media[1]=video")]
    [InlineData("media%5B%5D=image&media%5B%5D=video")]
    [InlineData("media=image,video")]
    [InlineData("media=image%2Cvideo")]
    [InlineData("media=%5B%22image%22%2C%22video%22%5D")]
    [InlineData("media=image,video,image")]
    public async Task List_fields_accept_bracket_sparse_csv_and_json_arrays(string media)
    {
        var api = await factory.NewStackClientAsync();
        var created = await api.PostFormAsync("filters", $"name=F&{media}");
        created.AssertOk();
        var id = created.Data.GetProperty("id").GetInt32();
        Assert.Equal(["image", "video"], await ListAsync(api, id, "media"));

        // The same encodings in a PUT query (the SDK's update).
        (await api.PutQueryAsync($"filters/{id}", "media=")).AssertOk();
        Assert.Empty(await ListAsync(api, id, "media"));
        (await api.PutQueryAsync($"filters/{id}", media)).AssertOk();
        Assert.Equal(["image", "video"], await ListAsync(api, id, "media"));
    }

    [Fact]
    public async Task A_json_body_creates_and_updates_a_filter()
    {
        var api = await factory.NewStackClientAsync();
        var tag = await api.CreateTagAsync("T");
        var created = await api.SendRawJsonAsync(HttpMethod.Post, "filters",
            $$"""{"name": "From JSON", "networks": ["instagram", "twitter"], "media": ["text"], "tags": [{{tag}}], "sort": "score_desc", "enabled": 2, "orders": 3, "filter_by_claimed": "unclaimed_only"}""");
        created.AssertOk();
        var filter = created.Data;
        var id = filter.GetProperty("id").GetInt32();
        Assert.Equal(["instagram", "twitter"], filter.GetProperty("networks").EnumerateArray().Select(n => n.GetString()!));
        Assert.Equal([tag], filter.GetProperty("tags").EnumerateArray().Select(n => n.GetInt32()));
        Assert.Equal("score_desc", filter.GetProperty("sort").GetString());
        Assert.Equal(2, filter.GetProperty("enabled").GetInt32());
        Assert.Equal(3, filter.GetProperty("orders").GetInt32());
        Assert.Equal("unclaimed_only", filter.GetProperty("filter_by_claimed").GetString());

        (await api.SendRawJsonAsync(HttpMethod.Put, $"filters/{id}", """{"tags": [], "networks": "sta_feed", "sort": "votes"}""")).AssertOk();
        filter = (await api.GetAsync($"filters/{id}")).Data;
        Assert.Equal(0, filter.GetProperty("tags").GetArrayLength());
        Assert.Equal(["sta_feed"], filter.GetProperty("networks").EnumerateArray().Select(n => n.GetString()!));
        Assert.Equal("votes", filter.GetProperty("sort").GetString());
        Assert.Equal("From JSON", filter.GetProperty("name").GetString());
    }

    [Fact]
    public async Task Tags_keep_their_order_and_clear_with_an_empty_value()
    {
        var api = await factory.NewStackClientAsync();
        var a = await api.CreateTagAsync("A");
        var b = await api.CreateTagAsync("B");
        var id = await api.CreateFilterAsync($"name=F&tags%5B0%5D={b}&tags%5B1%5D={a}");
        Assert.Equal([b, a], (await api.GetAsync($"filters/{id}")).Data.GetProperty("tags").EnumerateArray().Select(t => t.GetInt32()));

        (await api.PutQueryAsync($"filters/{id}", $"tags={a},{b}")).AssertOk();
        Assert.Equal([a, b], (await api.GetAsync($"filters/{id}")).Data.GetProperty("tags").EnumerateArray().Select(t => t.GetInt32()));

        (await api.PutQueryAsync($"filters/{id}", "tags=")).AssertOk();
        Assert.Equal(0, (await api.GetAsync($"filters/{id}")).Data.GetProperty("tags").GetArrayLength());
    }

    [Theory]
    [InlineData("source_created_at_desc")]
    [InlineData("score_desc")]
    [InlineData("votes")]
    [InlineData("votes_desc")]
    [InlineData("random")]
    public async Task Every_sort_can_be_stored(string sort)
    {
        var api = await factory.NewStackClientAsync();
        var id = await api.CreateFilterAsync($"name=F&sort={sort}");
        Assert.Equal(sort, (await api.GetAsync($"filters/{id}")).Data.GetProperty("sort").GetString());
    }

    [Fact]
    public async Task A_new_filter_has_defaults_and_timestamps()
    {
        var api = await factory.NewStackClientAsync();
        var filter = (await api.PostFormAsync("filters", "name=Plain")).Data;
        Assert.Equal("source_created_at_desc", filter.GetProperty("sort").GetString());
        Assert.Equal("no", filter.GetProperty("filter_by_claimed").GetString());
        Assert.Equal(JsonValueKind.Array, filter.GetProperty("networks").ValueKind);
        Assert.Equal(JsonValueKind.Array, filter.GetProperty("media").ValueKind);
        Assert.Equal(JsonValueKind.Array, filter.GetProperty("tags").ValueKind);
        Assert.True(filter.GetProperty("created_at").GetInt64() > 0);
        Assert.Equal(api.StackId, filter.GetProperty("stack_id").GetInt32());
    }

    [Fact]
    public async Task The_readme_names_enable_and_order_are_aliases()
    {
        var api = await factory.NewStackClientAsync();
        var id = await api.CreateFilterAsync("name=F&enable=2&order=7");
        var filter = (await api.GetAsync($"filters/{id}")).Data;
        Assert.Equal(2, filter.GetProperty("enabled").GetInt32());
        Assert.Equal(7, filter.GetProperty("orders").GetInt32());
    }

    [Fact]
    public async Task Updates_change_only_the_fields_given_and_an_empty_name_keeps_the_name()
    {
        var api = await factory.NewStackClientAsync();
        var id = await api.CreateFilterAsync("name=Keep&networks%5B0%5D=twitter&media%5B0%5D=image&sort=random&enabled=2&orders=4");
        (await api.PutQueryAsync($"filters/{id}", "orders=5&name=")).AssertOk();
        var filter = (await api.GetAsync($"filters/{id}")).Data;
        Assert.Equal("Keep", filter.GetProperty("name").GetString());
        Assert.Equal(5, filter.GetProperty("orders").GetInt32());
        Assert.Equal("random", filter.GetProperty("sort").GetString());
        Assert.Equal(2, filter.GetProperty("enabled").GetInt32());
        Assert.Equal(["twitter"], filter.GetProperty("networks").EnumerateArray().Select(n => n.GetString()!));

        // The SDK sends enabled=0 as "enabled=".
        (await api.PutQueryAsync($"filters/{id}", "enabled=")).AssertOk();
        Assert.Equal(0, (await api.GetAsync($"filters/{id}")).Data.GetProperty("enabled").GetInt32());
    }

    [Fact]
    public async Task Filters_page_without_overlap()
    {
        var api = await factory.NewStackClientAsync();
        for (var i = 0; i < 5; i++)
        {
            await api.CreateFilterAsync($"name=F{i}");
        }

        var seen = new List<int>();
        for (var page = 1; page <= 3; page++)
        {
            seen.AddRange((await api.GetAsync("filters", $"page={page}&limit=2")).Data.EnumerateArray().Select(f => f.GetProperty("id").GetInt32()));
        }

        Assert.Equal(6, seen.Count);
        Assert.Equal(6, seen.Distinct().Count());
        Assert.Equal(seen.Order(), seen);
    }

    [Fact]
    public async Task Deleting_a_filter_leaves_its_tiles_alone()
    {
        var api = await factory.NewStackClientAsync();
        var id = await api.CreateFilterAsync("name=Gone");
        var tile = (await api.CreateTileAsync("message=m")).GetProperty("id").GetString()!;
        Assert.Equal([tile], await api.ContentIdsAsync(id));

        (await api.DeleteAsync($"filters/{id}")).AssertOk();
        (await api.GetAsync($"filters/{id}/content")).AssertError(HttpStatusCode.NotFound, 1030404, "filter:not_found");
        (await api.GetAsync($"filters/{id}/summaries")).AssertError(HttpStatusCode.NotFound, 1030404, "filter:not_found");
        (await api.PutQueryAsync($"filters/{id}", "name=x")).AssertError(HttpStatusCode.NotFound, 1030404, "filter:not_found");
        (await api.DeleteAsync($"filters/{id}")).AssertError(HttpStatusCode.NotFound, 1030404, "filter:not_found");
        (await api.GetAsync($"tiles/{tile}")).AssertOk();
    }

    private static async Task<string[]> ListAsync(ApiClient api, int filterId, string field)
    {
        var response = await api.GetAsync($"filters/{filterId}");
        response.AssertOk();
        return [.. response.Data.GetProperty(field).EnumerateArray().Select(v => v.GetString()!)];
    }
}
