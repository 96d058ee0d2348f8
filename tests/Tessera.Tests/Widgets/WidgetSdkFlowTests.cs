using System.Net;
using System.Text.Json.Nodes;
using Tessera.Tests.Infrastructure;

namespace Tessera.Tests.Widgets;

/// <summary>The PHP SDK's WidgetTest (reference §3.5), replayed with the SDK's exact encodings.</summary>
[Collection(ApiCollection.Name)]
public sealed class WidgetSdkFlowTests(TesseraFactory factory)
{
    private const string U = "5f3a9c1b2d4e8";

    /// <summary>What <c>Widget::create</c> posts after <c>setDefaultValue</c> for a base_waterfall widget (reference §2.5.1), byte for byte as json_encode writes it.</summary>
    private static string CreateBody(int filterId) =>
        "{\"style\":{\"name\":\"Test widget " + U + "\",\"style\":\"base_waterfall\",\"type\":\"fluid\",\"enable_custom_tiles_per_page\":\"\","
        + "\"tiles_per_page\":15,\"click_through_url\":\"%5BEXPAND%5D\",\"polling_frequency\":\"30\",\"parent_page_secret_key\":\"\","
        + "\"enable_scrolling\":\"0\",\"text_tile_background\":\"ffffff\",\"text_tile_font_color\":\"666666\",\"text_tile_font_size\":24,"
        + "\"text_tile_user_name_font_color\":\"333333\",\"text_tile_user_name_font_size\":18,\"text_tile_user_handle_font_color\":\"333333\","
        + "\"text_tile_user_handle_font_size\":18,\"margin\":0,\"max_tile_width\":365,\"widget_background\":\"\","
        + "\"widget_loading_image\":\"\\/media\\/images\\/widget\\/loading.gif\"},"
        + "\"filter_id\":" + filterId + ","
        + "\"config\":{\"tile_options\":{\"show_tags\":\"0\",\"show_votes\":\"0\",\"show_likes\":\"0\",\"show_dislikes\":\"0\",\"show_comments\":\"0\",\"show_shopspots\":\"0\"},"
        + "\"lightbox\":{\"layout\":\"portrait\",\"show_additional_info\":\"1\",\"show_sharing\":\"0\",\"sharing_text\":\"\",\"sharing_title\":\"\","
        + "\"show_comments\":\"0\",\"post_comments\":\"0\",\"show_products\":\"0\",\"show_shopspots\":\"0\"}}}";

    [Fact]
    public async Task Sdk_widget_test_flow_create_clone_derive_fetch_update_remove()
    {
        var api = await factory.NewStackClientAsync();
        var filterId = api.LatestFilterId; // DEFAULT_FILTER_ID

        // testCreate: raw JSON, no Content-Type, PHP-escaped slashes.
        var created = await api.SendRawJsonAsync(HttpMethod.Post, "widgets", CreateBody(filterId));
        created.AssertOk();
        var id = created.Data.Id();
        Assert.True(id > 0);
        var fetched = await api.GetWidgetAsync(id);
        Assert.Equal("fluid", fetched.Style().GetProperty("type").GetString());
        Assert.Equal("base_waterfall", fetched.Style().GetProperty("style").GetString());
        Assert.Equal($"Test widget {U}", fetched.Name());
        Assert.Equal(filterId, fetched.GetProperty("filter_id").GetInt32());
        Assert.Equal("/media/images/widget/loading.gif", fetched.Style().GetProperty("widget_loading_image").GetString());
        Assert.Equal("%5BEXPAND%5D", fetched.Style().GetProperty("click_through_url").GetString());
        Assert.Equal("0", fetched.Style().GetProperty("enable_scrolling").GetString()); // kept as sent

        // testClone: the body is "[]" (json_encode of an empty array).
        var clone = await api.SendRawJsonAsync(HttpMethod.Post, $"widgets/{id}?action=clone", "[]");
        clone.AssertOk();
        var cloneId = clone.Data.Id();
        Assert.NotEqual(id, cloneId);
        Assert.Equal($"Test widget {U} (Clone)", clone.Data.Name());
        (await api.DeleteAsync($"widgets/{cloneId}")).AssertOk();

        // testDerive: the filter id arrives as a JSON string.
        var derived = await api.SendRawJsonAsync(HttpMethod.Post, $"widgets/{id}?action=derive",
            "{\"filter_id\":\"" + filterId + "\",\"style\":{\"name\":\"DERIVED:Test Widget\"}}");
        derived.AssertOk();
        var derivedId = derived.Data.Id();
        Assert.NotEqual(id, derivedId);
        Assert.Equal("DERIVED:Test Widget", derived.Data.Name());
        Assert.Equal(id, derived.Data.GetProperty("parent_id").GetInt32());
        (await api.DeleteAsync($"widgets/{derivedId}")).AssertOk();

        // testFetch
        var list = await api.GetAsync("widgets", "limit=25&page=1");
        list.AssertOk();
        Assert.True(list.Data.GetArrayLength() >= 1);

        // testFetchById
        Assert.Equal(id, (await api.GetWidgetAsync(id)).Id());

        // testUpdate: GET, then PUT the current style with the edited name (setDefaultValue re-adds
        // max_tile_width) and the merged config, as json_encode writes them.
        var current = await api.GetWidgetAsync(id);
        var style = JsonNode.Parse(current.Style().GetRawText())!.AsObject();
        style["name"] = $"Test widget {U} - Edited";
        style["max_tile_width"] = 365;
        var body = new JsonObject { ["style"] = style, ["config"] = JsonNode.Parse(current.GetProperty("config").GetRawText()) };
        (await api.SendRawJsonAsync(HttpMethod.Put, $"widgets/{id}", WidgetApi.PhpJson(body))).AssertOk();
        var edited = await api.GetWidgetAsync(id);
        Assert.Equal($"Test widget {U} - Edited", edited.Name());
        Assert.Equal(current.Style().GetProperty("widget_loading_image").GetString(), edited.Style().GetProperty("widget_loading_image").GetString());

        // testRemove
        var removed = await api.DeleteAsync($"widgets/{id}");
        removed.AssertOk();
        Assert.Equal(id, removed.Data.Id());
        var gone = await api.GetAsync($"widgets/{id}");
        gone.AssertError(HttpStatusCode.NotFound, 1040404, "widget:not_found");
        Assert.True(gone.Errors.GetArrayLength() > 0);
    }

    [Fact]
    public async Task The_sdk_v1_0_encoding_with_a_json_content_type_is_read_the_same()
    {
        var api = await factory.NewStackClientAsync();
        using var content = new StringContent(CreateBody(api.LatestFilterId), System.Text.Encoding.UTF8, "application/json");
        var created = await api.SendAsync(HttpMethod.Post, api.Url("widgets"), content);
        created.AssertOk();
        Assert.Equal($"Test widget {U}", created.Data.Name());
    }

    [Fact]
    public async Task Non_ascii_names_escaped_by_json_encode_are_decoded()
    {
        var api = await factory.NewStackClientAsync();
        var created = await api.CreateWidgetAsync("""{"name":"Caf\u00e9 \ud83d\ude00 \/ wall","style":"base_waterfall"}""");
        Assert.Equal("Café 😀 / wall", created.Name());
        Assert.Equal("Café 😀 / wall", (await api.GetWidgetAsync(created.Id())).Name());
    }

    [Fact]
    public async Task Wordpress_flow_lists_without_derived_widgets_and_deletes_the_filter_before_the_widget()
    {
        var api = await factory.NewStackClientAsync();
        var copy = await api.CreateWidgetAsync("""{"name":"WP template","style":"base_waterfall","type":"fluid"}""");
        var filterId = await api.CreateFilterAsync("name=WP-42+-++-+Latest&media%5B0%5D=image&media%5B2%5D=video");

        // The plugin derives its post's widget from the template widget, with the post's filter.
        var derived = await api.PostJsonAsync($"widgets/{copy.Id()}?action=derive", $$$"""{"filter_id":{{{filterId}}},"style":{"name":"WP-42"}}""");
        derived.AssertOk();
        var childId = derived.Data.Id();
        Assert.Contains("data-hash=\"" + derived.Data.GetProperty("guid").GetString() + "\"", derived.Data.GetProperty("embed_code").GetString(), StringComparison.Ordinal);

        // Widget picker: derived=false hides the post's widget.
        var picker = await api.GetAsync("widgets", "limit=25&page=1&derived=false");
        picker.AssertOk();
        Assert.Equal([copy.Id()], picker.Data.EnumerateArray().Select(w => w.Id()));

        // Post deletion: tag, filter, then widget, without a prior GET.
        (await api.DeleteAsync($"filters/{filterId}")).AssertOk();
        var orphan = await api.GetWidgetAsync(childId);
        Assert.Equal(filterId, orphan.GetProperty("filter_id").GetInt32());
        (await api.DeleteAsync($"widgets/{childId}")).AssertOk();
        (await api.GetAsync($"widgets/{childId}")).AssertError(HttpStatusCode.NotFound, 1040404, "widget:not_found");
    }
}
