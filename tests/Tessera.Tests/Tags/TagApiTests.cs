using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Tessera.Server.Data;
using Tessera.Server.Features.Tags;
using Tessera.Tests.Infrastructure;

namespace Tessera.Tests.Tags;

[Collection(ApiCollection.Name)]
public sealed class TagApiTests(TesseraFactory factory)
{
    [Fact]
    public async Task Sdk_tag_test_flow_create_fetch_update_remove()
    {
        var api = await factory.NewStackClientAsync();
        const string u = "5f3a9c1b2d4e6";

        // testCreate: form body, auth first in the query.
        var created = await api.PostFormAsync("tags", $"tag=Test+tag+{u}&slug=Test+tag+slug+{u}&type=content&custom_url=http%3A%2F%2Fstackla.com%2F&publicly_visible=1");
        created.AssertOk();
        var id = created.Data.GetProperty("id").GetInt32();
        Assert.True(id > 0);
        Assert.True(created.Data.GetProperty("created_at").GetInt64() > 0);

        var fetched = await api.GetAsync($"tags/{id}");
        fetched.AssertOk();
        Assert.Equal("content", fetched.Data.GetProperty("type").GetString());
        Assert.Equal($"Test tag {u}", fetched.Data.GetProperty("tag").GetString());
        Assert.Equal($"Test tag slug {u}", fetched.Data.GetProperty("slug").GetString());
        Assert.Equal("http://stackla.com/", fetched.Data.GetProperty("custom_url").GetString());

        // testFetch
        var list = await api.GetAsync("tags", "limit=25&page=1");
        list.AssertOk();
        Assert.True(list.Data.GetArrayLength() >= 1);

        // testUpdate: PUT with the data only in the query string.
        var updated = await api.PutQueryAsync($"tags/{id}", $"tag=Test+tag+{u}+-+Edited");
        updated.AssertOk();
        Assert.Equal($"Test tag {u} - Edited", (await api.GetAsync($"tags/{id}")).Data.GetProperty("tag").GetString());

        // testRemove: DELETE answers 200 with the deleted tag; then the tag is gone.
        var deleted = await api.DeleteAsync($"tags/{id}");
        deleted.AssertOk();
        Assert.Equal(id, deleted.Data.GetProperty("id").GetInt32());
        var gone = await api.GetAsync($"tags/{id}");
        gone.AssertError(HttpStatusCode.NotFound, 1070404, "tag:not_found");
    }

    [Fact]
    public async Task Created_tag_returns_every_field_with_defaults()
    {
        var api = await factory.NewStackClientAsync();
        var tag = (await api.PostFormAsync("tags", "tag=Editors+Pick!&type=content")).Data;

        Assert.Equal("editors-pick", tag.GetProperty("slug").GetString());
        Assert.Equal(0, tag.GetProperty("custom_slug").GetInt32());
        Assert.Equal(1, tag.GetProperty("publicly_visible").GetInt32());
        Assert.Equal(3, tag.GetProperty("priority").GetInt32());
        Assert.Equal(0, tag.GetProperty("system_tag").GetInt32());
        Assert.Equal(api.StackId, tag.GetProperty("stack_id").GetInt32());
        foreach (var field in new[] { "target", "custom_url", "price", "ext_product_id", "description", "image_small_url", "image_medium_url" })
        {
            Assert.Equal(string.Empty, tag.GetProperty(field).GetString());
        }

        Assert.Equal(System.Text.Json.JsonValueKind.Object, tag.GetProperty("custom_fields").ValueKind);
        Assert.True(tag.GetProperty("updated_at").GetInt64() >= tag.GetProperty("created_at").GetInt64());
    }

    [Fact]
    public async Task Product_fields_and_custom_fields_round_trip()
    {
        var api = await factory.NewStackClientAsync();
        var created = await api.SendRawJsonAsync(HttpMethod.Post, "tags", """
            {"tag": "Trail Shoe", "type": "product", "price": "$129", "ext_product_id": "SKU-1",
             "description": "Grippy", "brand": "Acme", "categories": ["shoes", "outdoor"], "currency": "USD",
             "availability_status": "InStock", "priority": 1, "target": "_blank", "vote_enabled": true,
             "image_small_url": "https://cdn.example/s.jpg", "image_small_width": 300, "image_small_height": 300,
             "custom_fields": {"season": "summer", "rank": 2}}
            """);
        created.AssertOk();

        var tag = (await api.GetAsync("tags/ext:SKU-1")).Data;
        Assert.Equal("Trail Shoe", tag.GetProperty("tag").GetString());
        Assert.Equal("$129", tag.GetProperty("price").GetString());
        Assert.Equal("Acme", tag.GetProperty("brand").GetString());
        Assert.Equal(["shoes", "outdoor"], tag.GetProperty("categories").EnumerateArray().Select(c => c.GetString()!));
        Assert.Equal("InStock", tag.GetProperty("availability_status").GetString());
        Assert.Equal(1, tag.GetProperty("priority").GetInt32());
        Assert.Equal(1, tag.GetProperty("vote_enabled").GetInt32());
        Assert.Equal(300, tag.GetProperty("image_small_width").GetInt32());
        Assert.Equal("summer", tag.GetProperty("custom_fields").GetProperty("season").GetString());
        Assert.Equal(2, tag.GetProperty("custom_fields").GetProperty("rank").GetInt32());
    }

    [Fact]
    public async Task Ext_product_id_addresses_a_tag_for_update_delete_and_summaries()
    {
        var api = await factory.NewStackClientAsync();
        var id = await api.CreateTagAsync("Boot", "&ext_product_id=B-42");

        (await api.PutQueryAsync("tags/ext:B-42", "price=%2410")).AssertOk();
        Assert.Equal("$10", (await api.GetAsync($"tags/{id}")).Data.GetProperty("price").GetString());

        var summaries = await api.GetAsync("tags/ext:B-42/summaries");
        summaries.AssertOk();
        Assert.Equal(0, summaries.Data[0].GetProperty("quantity").GetInt32());

        (await api.DeleteAsync("tags/ext:B-42")).AssertOk();
        (await api.GetAsync("tags/ext:B-42")).AssertError(HttpStatusCode.NotFound, 1070404, "tag:not_found");
    }

    [Fact]
    public async Task Tag_names_are_unique_per_stack_ignoring_case()
    {
        var api = await factory.NewStackClientAsync();
        await api.CreateTagAsync("Summer");

        var duplicate = await api.PostFormAsync("tags", "tag=SUMMER&type=content");
        duplicate.AssertError(HttpStatusCode.Conflict, 1070409, "tag:name_exists");

        var other = await api.CreateTagAsync("Winter");
        (await api.PutQueryAsync($"tags/{other}", "tag=summer")).AssertError(HttpStatusCode.Conflict, 1070409, "tag:name_exists");
        (await api.PutQueryAsync($"tags/{other}", "tag=Winter")).AssertOk(); // renaming to itself is fine
    }

    [Fact]
    public async Task Ext_product_ids_are_unique_per_stack()
    {
        var api = await factory.NewStackClientAsync();
        await api.CreateTagAsync("One", "&ext_product_id=X1");
        var duplicate = await api.PostFormAsync("tags", "tag=Two&type=product&ext_product_id=X1");
        duplicate.AssertError(HttpStatusCode.Conflict, 1070409, "tag:ext_product_id_exists");
    }

    [Fact]
    public async Task Concurrent_creates_of_one_name_yield_one_tag_and_conflicts()
    {
        var api = await factory.NewStackClientAsync();
        var responses = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => api.PostFormAsync("tags", "tag=Race&type=content")));

        Assert.Equal(1, responses.Count(r => r.Status == HttpStatusCode.OK));
        Assert.All(responses.Where(r => r.Status != HttpStatusCode.OK), r => r.AssertError(HttpStatusCode.Conflict, 1070409, "tag:name_exists"));
        Assert.Equal(1, (await api.GetAsync("tags", "keyword=race")).Data.GetArrayLength());
    }

    [Fact]
    public async Task Slug_follows_the_name_until_customised()
    {
        var api = await factory.NewStackClientAsync();
        var id = await api.CreateTagAsync("Old Name");
        (await api.PutQueryAsync($"tags/{id}", "tag=New+Name")).AssertOk();
        Assert.Equal("new-name", (await api.GetAsync($"tags/{id}")).Data.GetProperty("slug").GetString());

        (await api.PutQueryAsync($"tags/{id}", "slug=my-slug")).AssertOk();
        (await api.PutQueryAsync($"tags/{id}", "tag=Third+Name")).AssertOk();
        var tag = (await api.GetAsync($"tags/{id}")).Data;
        Assert.Equal("my-slug", tag.GetProperty("slug").GetString());
        Assert.Equal(1, tag.GetProperty("custom_slug").GetInt32());
    }

    [Fact]
    public async Task Keyword_search_matches_name_slug_url_id_and_ext_and_adds_the_count_block()
    {
        var api = await factory.NewStackClientAsync();
        var red = await api.CreateTagAsync("Red Shoes", "&custom_url=https%3A%2F%2Fshop.example%2Fcrimson");
        await api.CreateTagAsync("Blue Hat", "&ext_product_id=HAT-9");
        await api.CreateTagAsync("Green Scarf");

        async Task<string[]> Search(string keyword)
        {
            var response = await api.GetAsync("tags", $"keyword={Uri.EscapeDataString(keyword)}");
            response.AssertOk();
            Assert.Equal("3", response.Json.GetProperty("count").GetProperty("total").GetString());
            Assert.Equal(response.Data.GetArrayLength().ToString(System.Globalization.CultureInfo.InvariantCulture),
                response.Json.GetProperty("count").GetProperty("results_total").GetString());
            return [.. response.Data.EnumerateArray().Select(t => t.GetProperty("tag").GetString()!)];
        }

        Assert.Equal(["Red Shoes"], await Search("red"));
        Assert.Equal(["Red Shoes"], await Search("SHOES"));
        Assert.Equal(["Red Shoes"], await Search("crimson"));
        Assert.Equal(["Red Shoes"], await Search(red.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        Assert.Equal(["Blue Hat"], await Search("ext:HAT-9"));
        Assert.Equal(["Green Scarf"], await Search("green-scarf"));
        Assert.Empty(await Search("purple"));
        Assert.False((await api.GetAsync("tags")).Json.TryGetProperty("count", out _));
    }

    [Fact]
    public async Task Type_filter_accepts_csv_and_arrays()
    {
        var api = await factory.NewStackClientAsync();
        await api.CreateTagAsync("A content tag");
        (await api.PostFormAsync("tags", "tag=A+product&type=product")).AssertOk();
        (await api.PostFormAsync("tags", "tag=A+competition&type=competition")).AssertOk();

        Assert.Equal(1, (await api.GetAsync("tags", "type=product")).Data.GetArrayLength());
        Assert.Equal(2, (await api.GetAsync("tags", "type=product,competition")).Data.GetArrayLength());
        Assert.Equal(2, (await api.GetAsync("tags", "type%5B0%5D=product&type%5B2%5D=content")).Data.GetArrayLength());
        (await api.GetAsync("tags", "type=colour")).AssertError(HttpStatusCode.BadRequest, 1070400);
    }

    [Fact]
    public async Task System_tags_are_read_only()
    {
        var api = await factory.NewStackClientAsync();
        (await api.PostFormAsync("tags", "tag=Sys&type=system")).AssertError(HttpStatusCode.BadRequest, 1070400, "tag:system_tag_read_only");

        int systemId;
        await using (var scope = factory.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<TesseraDbContext>();
            var tag = new Tag { StackId = api.StackId, Name = "Rights approved", NormalizedName = "rights approved", Slug = "rights-approved", Type = "system", SystemTag = true };
            db.Tags.Add(tag);
            await db.SaveChangesAsync();
            systemId = tag.Id;
        }

        Assert.Equal(1, (await api.GetAsync($"tags/{systemId}")).Data.GetProperty("system_tag").GetInt32());
        (await api.PutQueryAsync($"tags/{systemId}", "tag=Hacked")).AssertError(HttpStatusCode.Forbidden, 1070403, "tag:system_tag_read_only");
        (await api.DeleteAsync($"tags/{systemId}")).AssertError(HttpStatusCode.Forbidden, 1070403, "tag:system_tag_read_only");
        Assert.Equal(1, (await api.GetAsync("tags", "type=system")).Data.GetArrayLength());
    }

    [Fact]
    public async Task Empty_values_clear_fields_by_type()
    {
        var api = await factory.NewStackClientAsync();
        var id = await api.CreateTagAsync("Clearable", "&vote_enabled=1&categories%5B0%5D=a&price=5");

        // The PHP SDK sends 0/false/empty arrays as empty strings in query strings.
        (await api.PutQueryAsync($"tags/{id}", "vote_enabled=&categories=&price=")).AssertOk();
        var tag = (await api.GetAsync($"tags/{id}")).Data;
        Assert.Equal(0, tag.GetProperty("vote_enabled").GetInt32());
        Assert.Equal(0, tag.GetProperty("categories").GetArrayLength());
        Assert.Equal(string.Empty, tag.GetProperty("price").GetString());
    }
}
