using System.Net;
using Tessera.Tests.Infrastructure;

namespace Tessera.Tests.Widgets;

/// <summary>Bad widget input is a 4xx envelope naming what is wrong, never a 500 and never a partial write.</summary>
[Collection(ApiCollection.Name)]
public sealed class WidgetBadInputTests(TesseraFactory factory)
{
    [Theory]
    [InlineData("{\"style\":{\"name\":\"x\"},\"filter_id\":1")]
    [InlineData("{\"style\":{\"name\":\"x\"},\"style\":{\"name\":\"y\"}}")]
    [InlineData("[1,2]")]
    [InlineData("\"just a string\"")]
    public async Task Malformed_json_is_a_400(string body)
    {
        var api = await factory.NewStackClientAsync();
        var response = await api.PostJsonAsync("widgets", body);
        response.AssertError(HttpStatusCode.BadRequest, 1040400);
        Assert.Equal(0, (await api.GetAsync("widgets")).Data.GetArrayLength());
    }

    [Theory]
    [InlineData("""{"filter_id":0}""", "style", "widget:missing_field")]
    [InlineData("""{"style":{"style":"base_feed"}}""", "style.name", "widget:missing_field")]
    [InlineData("""{"style":{"name":"  "}}""", "style.name", "widget:missing_field")]
    [InlineData("""{"style":{"name":["a"]}}""", "style.name", "widget:invalid_field")]
    [InlineData("""{"style":"not an object"}""", "style", "widget:invalid_field")]
    [InlineData("""{"style":[1]}""", "style", "widget:invalid_field")]
    [InlineData("""{"style":{"name":"x","style":"base_nonsense"}}""", "style.style", "widget:unknown_style")]
    [InlineData("""{"style":{"name":"x","style":"carousel","type":"fluid"}}""", "style.type", "widget:type_mismatch")]
    [InlineData("""{"style":{"name":"x","style":"base_waterfall","type":"fixed"}}""", "style.type", "widget:type_mismatch")]
    [InlineData("""{"style":{"name":"x","type":"sideways"}}""", "style.type", "widget:invalid_field")]
    [InlineData("""{"style":{"name":"x","enable_scrolling":"yes"}}""", "style.enable_scrolling", "widget:invalid_field")]
    [InlineData("""{"style":{"name":"x","auto_scroll":2}}""", "style.auto_scroll", "widget:invalid_field")]
    [InlineData("""{"style":{"name":"x","margin":"wide"}}""", "style.margin", "widget:invalid_field")]
    [InlineData("""{"style":{"name":"x","tiles_per_page":-1}}""", "style.tiles_per_page", "widget:invalid_field")]
    [InlineData("""{"style":{"name":"x","width":1e9}}""", "style.width", "widget:invalid_field")]
    [InlineData("""{"style":{"name":"x","click_through_url":"javascript:alert(1)"}}""", "style.click_through_url", "widget:invalid_field")]
    [InlineData("""{"style":{"name":"x","click_through_url":"[EXPLODE]"}}""", "style.click_through_url", "widget:invalid_field")]
    [InlineData("""{"style":{"name":"x","load_more_type":"forever"}}""", "style.load_more_type", "widget:invalid_field")]
    [InlineData("""{"style":{"name":"x","a":{"b":{"c":{"d":{"e":{"f":{"g":{"h":{"i":1}}}}}}}}}}""", "style", "widget:invalid_field")]
    [InlineData("""{"style":{"name":"x"},"config":"[]x"}""", "config", "widget:invalid_field")]
    [InlineData("""{"style":{"name":"x"},"config":{"tile_options":"none"}}""", "config.tile_options", "widget:invalid_field")]
    [InlineData("""{"style":{"name":"x"},"config":{"lightbox":{"show_nav":"maybe"}}}""", "config.lightbox.show_nav", "widget:invalid_field")]
    [InlineData("""{"style":{"name":"x"},"config":{"claim_config":[1]}}""", "config.claim_config", "widget:invalid_field")]
    [InlineData("""{"style":{"name":"x"},"external_js":"javascript:alert(1)"}""", "external_js", "widget:invalid_field")]
    [InlineData("""{"style":{"name":"x"},"external_js":"ftp://cdn.example.com/a.js"}""", "external_js", "widget:invalid_field")]
    [InlineData("""{"style":{"name":"x"},"external_js":"/relative.js"}""", "external_js", "widget:invalid_field")]
    [InlineData("""{"style":{"name":"x"},"custom_css":{"a":1}}""", "custom_css", "widget:invalid_field")]
    [InlineData("""{"style":{"name":"x"},"custom_js":"bad\u0000nul"}""", "custom_js", "widget:invalid_field")]
    [InlineData("""{"style":{"name":"x"},"enabled":"sometimes"}""", "enabled", "widget:invalid_field")]
    [InlineData("""{"style":{"name":"x"},"filter_id":"abc"}""", "filter_id", "widget:invalid_field")]
    [InlineData("""{"style":{"name":"x"},"filter_id":-3}""", "filter_id", "widget:invalid_field")]
    [InlineData("""{"style":{"name":"x"},"filter_id":999999999}""", "filter_id", "widget:filter_not_found")]
    [InlineData("""{"style":{"name":"x"}}""", "filter_id", "widget:missing_field")]
    public async Task A_bad_create_is_a_400_naming_the_field(string body, string field, string messageId)
    {
        var api = await factory.NewStackClientAsync();
        var response = await api.PostJsonAsync("widgets", body.Replace("\"filter_id\":0", $"\"filter_id\":{api.LatestFilterId}", StringComparison.Ordinal));
        response.AssertFieldError(field, messageId);
        Assert.Equal(0, (await api.GetAsync("widgets")).Data.GetArrayLength());
    }

    [Theory]
    [InlineData("custom_css")]
    [InlineData("lightbox_custom_css")]
    [InlineData("custom_js")]
    [InlineData("lightbox_custom_js")]
    public async Task Code_fields_are_bounded_at_64_k_characters(string field)
    {
        var api = await factory.NewStackClientAsync();
        var w = await api.CreateWidgetAsync("""{"name":"Bounded"}""", extra: $$$""","{{{field}}}":"{{{new string('a', 65536)}}}" """);
        Assert.Equal(65536, w.GetProperty(field).GetString()!.Length);

        (await api.PutJsonAsync($"widgets/{w.Id()}", $$$"""{"{{{field}}}":"{{{new string('b', 65537)}}}"}""")).AssertFieldError(field);
        Assert.Equal(65536, (await api.GetWidgetAsync(w.Id())).GetProperty(field).GetString()!.Length);
    }

    [Fact]
    public async Task Names_style_config_and_urls_are_bounded()
    {
        var api = await factory.NewStackClientAsync();
        var w = await api.CreateWidgetAsync($$$"""{"name":"{{{new string('n', 255)}}}"}""", extra: $$$""","external_js":"https://cdn.example.com/{{{new string('p', 2000)}}}" """);
        var path = $"widgets/{w.Id()}";

        (await api.PutJsonAsync(path, $$$"""{"style":{"name":"{{{new string('n', 256)}}}"}}""")).AssertFieldError("style.name");
        (await api.PutJsonAsync(path, $$$"""{"external_js":"https://cdn.example.com/{{{new string('p', 2100)}}}"}""")).AssertFieldError("external_js");
        (await api.PutJsonAsync(path, $$$"""{"style":{"blob":"{{{new string('s', 70000)}}}"}}""")).AssertFieldError("style");
        (await api.PutJsonAsync(path, $$$"""{"config":{"blob":"{{{new string('c', 70000)}}}"}}""")).AssertFieldError("config");
        (await api.PutJsonAsync(path, $$$"""{"custom_templates":{"layout":{"template":"{{{new string('t', 70000)}}}"}} }""")).AssertFieldError("custom_templates");
        Assert.Equal(w.GetRawText(), (await api.GetWidgetAsync(w.Id())).GetRawText());
    }

    [Fact]
    public async Task A_put_with_one_bad_field_changes_nothing()
    {
        var api = await factory.NewStackClientAsync();
        var w = await api.CreateWidgetAsync("""{"name":"Atomic"}""", extra: ""","custom_css":".before{}" """);
        var response = await api.PutJsonAsync($"widgets/{w.Id()}",
            """{"custom_css":".after{}","style":{"name":"Renamed","style":"carousel"},"config":{"tile_options":{"show_tags":"1"}},"external_js":"data:text/javascript,alert(1)"}""");
        response.AssertFieldError("external_js");
        Assert.Equal(w.GetRawText(), (await api.GetWidgetAsync(w.Id())).GetRawText());
    }

    [Fact]
    public async Task Every_invalid_field_gets_its_own_error()
    {
        var api = await factory.NewStackClientAsync();
        var response = await api.PostJsonAsync("widgets", """{"style":{"style":"nope","margin":"x"},"external_js":"nope","enabled":"x"}""");
        foreach (var field in new[] { "style.name", "style.style", "style.margin", "external_js", "enabled", "filter_id" })
        {
            response.AssertFieldError(field);
        }
    }

    [Theory]
    [InlineData("action=duplicate", "action", "widget:invalid_field")]
    [InlineData("", "action", "widget:missing_field")]
    [InlineData("action=", "action", "widget:invalid_field")]
    public async Task Copy_without_a_known_action_is_a_400(string query, string field, string messageId)
    {
        var api = await factory.NewStackClientAsync();
        var w = await api.CreateWidgetAsync("""{"name":"Source"}""");
        var url = api.Url($"widgets/{w.Id()}", query);
        var response = await api.SendAsync(HttpMethod.Post, url, new ByteArrayContent("[]"u8.ToArray()));
        response.AssertFieldError(field, messageId);
        Assert.Single((await api.GetAsync("widgets")).Data.EnumerateArray());
    }

    [Fact]
    public async Task Unknown_widget_ids_are_404_envelopes()
    {
        var api = await factory.NewStackClientAsync();
        (await api.GetAsync("widgets/999999999")).AssertError(HttpStatusCode.NotFound, 1040404, "widget:not_found");
        (await api.PutJsonAsync("widgets/999999999", "[]")).AssertError(HttpStatusCode.NotFound, 1040404, "widget:not_found");
        (await api.PostJsonAsync("widgets/999999999?action=clone", "[]")).AssertError(HttpStatusCode.NotFound, 1040404, "widget:not_found");
        (await api.DeleteAsync("widgets/999999999")).AssertError(HttpStatusCode.NotFound, 1040404);
        Assert.Equal(HttpStatusCode.NotFound, (await api.GetAsync("widgets/abc")).Status);
    }

    [Fact]
    public async Task An_oversized_body_is_a_413_envelope()
    {
        var api = await factory.NewStackClientAsync();
        var response = await api.PostJsonAsync("widgets", $$$"""{"style":{"name":"x"},"custom_css":"{{{new string('a', 1024 * 1024)}}}"}""");
        response.AssertError(HttpStatusCode.RequestEntityTooLarge, 1040413);
    }
}
