using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using Tessera.Tests.Infrastructure;

namespace Tessera.Tests.Widgets;

[Collection(ApiCollection.Name)]
public sealed partial class WidgetApiTests(TesseraFactory factory)
{
    [GeneratedRegex("^[0-9a-f]{13}$")]
    private static partial Regex GuidShape();

    [GeneratedRegex(@"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\+00:00$")]
    private static partial Regex IsoUtc();

    [Fact]
    public async Task A_created_widget_has_the_whole_read_shape()
    {
        var api = await factory.NewStackClientAsync();
        var before = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var w = await api.CreateWidgetAsync("""{"name":"Shape","style":"base_waterfall"}""");

        Assert.True(w.Id() > 0);
        Assert.Equal(api.StackId, w.GetProperty("stack_id").GetInt32());
        Assert.Matches(GuidShape(), w.GetProperty("guid").GetString());
        Assert.Equal(1, w.GetProperty("widget_type_id").GetInt32());
        Assert.Equal(2, w.GetProperty("gen").GetInt32());
        Assert.Equal(api.LatestFilterId, w.GetProperty("filter_id").GetInt32());
        Assert.Equal(JsonValueKind.Null, w.GetProperty("parent_id").ValueKind);
        Assert.True(w.GetProperty("enabled").GetBoolean());
        Assert.Equal(JsonValueKind.Object, w.GetProperty("config").GetProperty("tile_options").ValueKind);
        Assert.Equal(JsonValueKind.Object, w.GetProperty("config").GetProperty("lightbox").ValueKind);
        foreach (var field in new[] { "custom_css", "lightbox_custom_css", "custom_js", "lightbox_custom_js", "external_js" })
        {
            Assert.Equal(string.Empty, w.GetProperty(field).GetString());
        }

        Assert.Matches(IsoUtc(), w.GetProperty("created").GetString());
        Assert.Matches(IsoUtc(), w.GetProperty("modified").GetString());
        var createdAt = w.GetProperty("created_at").GetInt64();
        Assert.InRange(createdAt, before, before + 60);
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(createdAt), DateTimeOffset.Parse(w.GetProperty("created").GetString()!, System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(createdAt, w.GetProperty("updated_at").GetInt64());
    }

    [Fact]
    public async Task The_embed_code_names_the_widget_and_this_servers_stable_loader_url()
    {
        var api = await factory.NewStackClientAsync();
        var w = await api.CreateWidgetAsync("""{"name":"Embed","style":"base_carousel"}""");
        var expected = $"<div class=\"stackla-widget\" data-id=\"{w.Id()}\" data-hash=\"{w.GetProperty("guid").GetString()}\" data-ttl=\"60\" "
            + "style=\"width: 100%; overflow: hidden;\"></div><script src=\"http://localhost/widgets/embed.js\" async></script>";
        Assert.Equal(expected, w.GetProperty("embed_code").GetString());

        (await api.PutJsonAsync($"widgets/{w.Id()}", """{"style":{"name":"Embed renamed"}}""")).AssertOk();
        Assert.Equal(expected, (await api.GetWidgetAsync(w.Id())).GetProperty("embed_code").GetString());
        var listed = (await api.GetAsync("widgets")).Data.EnumerateArray().Single();
        Assert.Equal(expected, listed.GetProperty("embed_code").GetString());
    }

    [Fact]
    public async Task The_embed_code_uses_the_configured_public_url()
    {
        await using var server = factory.With(("Tessera:PublicUrl", "https://ugc.example.com/base/"));
        var stack = await factory.CreateStackAsync();
        var api = new ApiClient(server.CreateClient(), stack.Stack, stack.AccessToken, stack.StackId) { LatestFilterId = stack.LatestFilterId };
        var w = await api.CreateWidgetAsync("""{"name":"Configured","style":"base_feed"}""");
        Assert.EndsWith("<script src=\"https://ugc.example.com/base/widgets/embed.js\" async></script>", w.GetProperty("embed_code").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Every_widget_gets_its_own_public_hash()
    {
        var api = await factory.NewStackClientAsync();
        var guids = new HashSet<string>();
        for (var i = 0; i < 5; i++)
        {
            var w = await api.CreateWidgetAsync($$$"""{"name":"W{{{i}}}"}""");
            Assert.True(guids.Add(w.GetProperty("guid").GetString()!));
            Assert.Equal("base_waterfall", w.Style().GetProperty("style").GetString()); // the style a create without one gets
        }
    }

    [Fact]
    public async Task Clone_copies_everything_under_a_new_id_and_hash_with_the_clone_suffix()
    {
        var api = await factory.NewStackClientAsync();
        var filterId = await api.CreateFilterAsync("name=Other");
        var source = await api.CreateWidgetAsync("""{"name":"Original","style":"base_feed","width":640,"auto_refresh":true}""", filterId,
            """
            ,"enabled":false,"custom_css":".a{color:red}","lightbox_custom_css":".lb{}","custom_js":"console.log(1)","lightbox_custom_js":"var x=1;",
            "external_js":"https://cdn.example.com/x.js","config":{"tile_options":{"show_tags":true},"lightbox":[],"claim_config":{"show_claim_button":"1"}},
            "custom_templates":{"layout":{"template":"<div>{{tiles}}</div>"}},"use_default_css":false
            """);

        var clone = await api.PostJsonAsync($"widgets/{source.Id()}?action=clone", "[]");
        clone.AssertOk();
        var copy = clone.Data;
        Assert.NotEqual(source.Id(), copy.Id());
        Assert.NotEqual(source.GetProperty("guid").GetString(), copy.GetProperty("guid").GetString());
        Assert.Equal("Original (Clone)", copy.Name());
        Assert.Equal(JsonValueKind.Null, copy.GetProperty("parent_id").ValueKind);
        foreach (var field in new[] { "filter_id", "enabled", "config", "custom_css", "lightbox_custom_css", "custom_js", "lightbox_custom_js", "external_js", "custom_templates", "use_default_css" })
        {
            Assert.Equal(source.GetProperty(field).GetRawText(), copy.GetProperty(field).GetRawText());
        }

        foreach (var style in source.Style().EnumerateObject().Where(p => p.Name != "name"))
        {
            Assert.Equal(style.Value.GetRawText(), copy.Style().GetProperty(style.Name).GetRawText());
        }

        Assert.Contains($"data-id=\"{copy.Id()}\"", copy.GetProperty("embed_code").GetString(), StringComparison.Ordinal);
        Assert.Equal("Original", (await api.GetWidgetAsync(source.Id())).Name()); // the source is untouched
    }

    [Fact]
    public async Task Clone_applies_the_fields_sent_over_the_copy()
    {
        var api = await factory.NewStackClientAsync();
        var otherFilter = await api.CreateFilterAsync("name=Drupal");
        var source = await api.CreateWidgetAsync("""{"name":"Template","style":"base_slideshow"}""", extra: ""","custom_css":".keep{}" """);

        var clone = await api.PostJsonAsync($"widgets/{source.Id()}?action=clone", $$$"""{"filter_id":{{{otherFilter}}},"custom_js":"go()"}""");
        clone.AssertOk();
        Assert.Equal(otherFilter, clone.Data.GetProperty("filter_id").GetInt32());
        Assert.Equal("go()", clone.Data.GetProperty("custom_js").GetString());
        Assert.Equal(".keep{}", clone.Data.GetProperty("custom_css").GetString());
        Assert.Equal("Template (Clone)", clone.Data.Name());

        var named = await api.PostJsonAsync($"widgets/{source.Id()}?action=clone", """{"style":{"name":"Named copy"}}""");
        named.AssertOk();
        Assert.Equal("Named copy", named.Data.Name());
        Assert.Equal("base_slideshow", named.Data.Style().GetProperty("style").GetString());
    }

    [Fact]
    public async Task A_clone_of_a_derived_widget_keeps_the_same_parent_and_long_names_are_shortened()
    {
        var api = await factory.NewStackClientAsync();
        var longName = new string('n', 255);
        var parent = await api.CreateWidgetAsync($$$"""{"name":"{{{longName}}}"}""");
        var child = (await api.PostJsonAsync($"widgets/{parent.Id()}?action=derive", "[]")).Data;
        Assert.Equal(parent.Id(), child.GetProperty("parent_id").GetInt32());
        Assert.Equal(longName, child.Name()); // derive without a name keeps the source's

        var clone = await api.PostJsonAsync($"widgets/{child.Id()}?action=clone", "[]");
        clone.AssertOk();
        Assert.Equal(parent.Id(), clone.Data.GetProperty("parent_id").GetInt32());
        Assert.Equal(new string('n', 247) + " (Clone)", clone.Data.Name());
    }

    [Fact]
    public async Task Derive_makes_a_child_that_differs_only_by_name_and_filter()
    {
        var api = await factory.NewStackClientAsync();
        var filterId = await api.CreateFilterAsync("name=Child+filter");
        var source = await api.CreateWidgetAsync("""{"name":"Parent","style":"carousel","rows":4}""",
            extra: ""","custom_css":".p{}","external_js":"https://cdn.example.com/p.js","css":".next{}" """);

        foreach (var filterJson in new[] { filterId.ToString(System.Globalization.CultureInfo.InvariantCulture), $"\"{filterId}\"" })
        {
            var derived = await api.PostJsonAsync($"widgets/{source.Id()}?action=derive", $$$"""{"filter_id":{{{filterJson}}},"style":{"name":"Child"}}""");
            derived.AssertOk();
            var child = derived.Data;
            Assert.Equal(source.Id(), child.GetProperty("parent_id").GetInt32());
            Assert.Equal(filterId, child.GetProperty("filter_id").GetInt32());
            Assert.Equal("Child", child.Name());
            Assert.NotEqual(source.GetProperty("guid").GetString(), child.GetProperty("guid").GetString());
            foreach (var field in new[] { "config", "custom_css", "external_js", "css", "enabled" })
            {
                Assert.Equal(source.GetProperty(field).GetRawText(), child.GetProperty(field).GetRawText());
            }

            foreach (var style in source.Style().EnumerateObject().Where(p => p.Name != "name"))
            {
                Assert.Equal(style.Value.GetRawText(), child.Style().GetProperty(style.Name).GetRawText());
            }
        }
    }

    [Fact]
    public async Task Derive_refuses_fields_other_than_name_and_filter()
    {
        var api = await factory.NewStackClientAsync();
        var source = await api.CreateWidgetAsync("""{"name":"Strict parent"}""");

        (await api.PostJsonAsync($"widgets/{source.Id()}?action=derive", """{"style":{"name":"C","margin":3}}""")).AssertFieldError("style.margin", "widget:not_derivable");
        (await api.PostJsonAsync($"widgets/{source.Id()}?action=derive", """{"custom_css":".x{}"}""")).AssertFieldError("custom_css", "widget:not_derivable");
        Assert.Single((await api.GetAsync("widgets")).Data.EnumerateArray());
    }

    [Fact]
    public async Task A_widget_with_derived_children_cannot_be_deleted_until_they_are_gone()
    {
        var api = await factory.NewStackClientAsync();
        var parent = await api.CreateWidgetAsync("""{"name":"Busy parent"}""");
        var first = (await api.PostJsonAsync($"widgets/{parent.Id()}?action=derive", """{"style":{"name":"One"}}""")).Data.Id();
        var second = (await api.PostJsonAsync($"widgets/{parent.Id()}?action=derive", """{"style":{"name":"Two"}}""")).Data.Id();

        var refused = await api.DeleteAsync($"widgets/{parent.Id()}");
        refused.AssertError(HttpStatusCode.Conflict, 1040409, "widget:has_children");
        var message = refused.Error.GetProperty("message").GetString()!;
        Assert.Contains("2 derived widgets", message, StringComparison.Ordinal);
        Assert.Contains($"{first}, {second}", message, StringComparison.Ordinal);
        await api.GetWidgetAsync(parent.Id()); // still there

        (await api.DeleteAsync($"widgets/{first}")).AssertOk();
        (await api.DeleteAsync($"widgets/{parent.Id()}")).AssertError(HttpStatusCode.Conflict, 1040409, "widget:has_children");
        (await api.DeleteAsync($"widgets/{second}")).AssertOk();
        var deleted = await api.DeleteAsync($"widgets/{parent.Id()}");
        deleted.AssertOk();
        Assert.Equal("Busy parent", deleted.Data.Name());
        (await api.DeleteAsync($"widgets/{parent.Id()}")).AssertError(HttpStatusCode.NotFound, 1040404, "widget:not_found");
    }

    [Fact]
    public async Task The_list_is_ordered_by_id_paged_and_filtered_by_derived()
    {
        var api = await factory.NewStackClientAsync();
        var ids = new List<int>();
        for (var i = 0; i < 3; i++)
        {
            ids.Add((await api.CreateWidgetAsync($$$"""{"name":"L{{{i}}}"}""")).Id());
        }

        var child = (await api.PostJsonAsync($"widgets/{ids[0]}?action=derive", """{"style":{"name":"L-child"}}""")).Data.Id();

        static int[] Ids(ApiResponse r)
        {
            r.AssertOk();
            return [.. r.Data.EnumerateArray().Select(w => w.Id())];
        }

        int[] all = [.. ids, child];
        Assert.Equal(all, Ids(await api.GetAsync("widgets")));
        int[] second = [ids[2], child];
        Assert.Equal(second, Ids(await api.GetAsync("widgets", "limit=2&page=2")));
        Assert.Equal(ids, Ids(await api.GetAsync("widgets", "derived=false")));
        Assert.Equal(ids, Ids(await api.GetAsync("widgets", "derived=0")));
        Assert.Equal(ids, Ids(await api.GetAsync("widgets", "derived="))); // the SDK's rendering of false
        int[] derived = [child];
        Assert.Equal(derived, Ids(await api.GetAsync("widgets", "derived=true")));
        (await api.GetAsync("widgets", "limit=101")).AssertFieldError("limit");
    }

    [Fact]
    public async Task Put_changes_only_the_top_level_fields_sent()
    {
        var api = await factory.NewStackClientAsync();
        var w = await api.CreateWidgetAsync("""{"name":"Merge","style":"base_waterfall","margin":5}""",
            extra: ""","config":{"tile_options":{"show_tags":"1"},"lightbox":{"layout":"landscape"}}""");

        var css = await api.PutJsonAsync($"widgets/{w.Id()}", """{"custom_css":".only{}","enabled":"0"}""");
        css.AssertOk();
        Assert.Equal(".only{}", css.Data.GetProperty("custom_css").GetString());
        Assert.False(css.Data.GetProperty("enabled").GetBoolean());
        Assert.Equal(w.Style().GetRawText(), css.Data.Style().GetRawText());
        Assert.Equal(w.GetProperty("config").GetRawText(), css.Data.GetProperty("config").GetRawText());
        Assert.True(css.Data.GetProperty("updated_at").GetInt64() >= w.GetProperty("updated_at").GetInt64());

        // A style sent replaces the style: the old margin goes, the defaults come back, the name stays.
        var style = await api.PutJsonAsync($"widgets/{w.Id()}", """{"style":{"tiles_per_page":"20"}}""");
        style.AssertOk();
        Assert.Equal("Merge", style.Data.Name());
        Assert.Equal("20", style.Data.Style().GetProperty("tiles_per_page").GetString());
        Assert.Equal(0, style.Data.Style().GetProperty("margin").GetInt32());
        Assert.Equal("fluid", style.Data.Style().GetProperty("type").GetString());

        // A config sent replaces the config; tile_options and lightbox are always there.
        var config = await api.PutJsonAsync($"widgets/{w.Id()}", """{"config":{"claim_config":{"show_claim_button":true}}}""");
        config.AssertOk();
        var c = config.Data.GetProperty("config");
        Assert.Equal("0", c.GetProperty("tile_options").GetProperty("show_tags").GetString());
        Assert.Equal("portrait", c.GetProperty("lightbox").GetProperty("layout").GetString());
        Assert.True(c.GetProperty("claim_config").GetProperty("show_claim_button").GetBoolean());

        var empty = await api.PutJsonAsync($"widgets/{w.Id()}", """{"config":[]}""");
        empty.AssertOk();
        Assert.Equal(JsonValueKind.Object, empty.Data.GetProperty("config").GetProperty("lightbox").ValueKind);

        // An empty body changes nothing.
        var before = await api.GetWidgetAsync(w.Id());
        (await api.PutJsonAsync($"widgets/{w.Id()}", "[]")).AssertOk();
        Assert.Equal(before.Style().GetRawText(), (await api.GetWidgetAsync(w.Id())).Style().GetRawText());
    }

    [Fact]
    public async Task Put_may_change_the_style_family_and_gets_the_new_familys_defaults()
    {
        var api = await factory.NewStackClientAsync();
        var w = await api.CreateWidgetAsync("""{"name":"Shifter","style":"base_waterfall"}""");
        var changed = await api.PutJsonAsync($"widgets/{w.Id()}", """{"style":{"name":"Shifter","style":"base_billboard"}}""");
        changed.AssertOk();
        var style = changed.Data.Style();
        Assert.Equal("fixed", style.GetProperty("type").GetString());
        Assert.Equal(970, style.GetProperty("width").GetInt32());
        Assert.False(style.TryGetProperty("max_tile_width", out _));
    }

    [Fact]
    public async Task Put_can_move_a_widget_to_another_filter_and_a_deleted_filter_leaves_the_widget_readable()
    {
        var api = await factory.NewStackClientAsync();
        var w = await api.CreateWidgetAsync("""{"name":"Mover"}""");
        var filterId = await api.CreateFilterAsync("name=Target");
        var moved = await api.PutJsonAsync($"widgets/{w.Id()}", $$$"""{"filter_id":"{{{filterId}}}"}""");
        moved.AssertOk();
        Assert.Equal(filterId, moved.Data.GetProperty("filter_id").GetInt32());

        (await api.DeleteAsync($"filters/{filterId}")).AssertOk();
        Assert.Equal(filterId, (await api.GetWidgetAsync(w.Id())).GetProperty("filter_id").GetInt32());
        // Other changes still work without naming a filter; naming the deleted one does not.
        (await api.PutJsonAsync($"widgets/{w.Id()}", """{"custom_css":".still{}"}""")).AssertOk();
        (await api.PutJsonAsync($"widgets/{w.Id()}", $$$"""{"filter_id":{{{filterId}}} }""")).AssertFieldError("filter_id", "widget:filter_not_found");
        (await api.PostJsonAsync($"widgets/{w.Id()}?action=clone", "[]")).AssertOk();
    }

    [Fact]
    public async Task Nextgen_fields_are_stored_and_returned_as_sent()
    {
        var api = await factory.NewStackClientAsync();
        var w = await api.CreateWidgetAsync("""{"name":"NextGen","style":"base_carousel_v3"}""",
            extra: ""","css":".c{}","source_css":".s{}","use_default_css":true,"use_default_js":"0","custom_templates":{"layout":{"template":"<ul>{{#tiles}}</ul>"},"tile":{"template":"<li/>"}}""");
        var read = await api.GetWidgetAsync(w.Id());
        Assert.Equal(".c{}", read.GetProperty("css").GetString());
        Assert.Equal(".s{}", read.GetProperty("source_css").GetString());
        Assert.True(read.GetProperty("use_default_css").GetBoolean());
        Assert.Equal("0", read.GetProperty("use_default_js").GetString());
        Assert.Equal("<ul>{{#tiles}}</ul>", read.GetProperty("custom_templates").GetProperty("layout").GetProperty("template").GetString());
        Assert.False(read.TryGetProperty("custom_tile", out _)); // fields never sent are absent

        var changed = await api.PutJsonAsync($"widgets/{w.Id()}", """{"css":".d{}"}""");
        changed.AssertOk();
        Assert.Equal(".d{}", changed.Data.GetProperty("css").GetString());
        Assert.Equal(".s{}", changed.Data.GetProperty("source_css").GetString());
    }

    [Fact]
    public async Task Read_only_fields_sent_back_are_ignored()
    {
        var api = await factory.NewStackClientAsync();
        var w = await api.CreateWidgetAsync("""{"name":"Round trip"}""");
        var body = w.GetRawText(); // the whole widget as read, sent back
        var put = await api.PutJsonAsync($"widgets/{w.Id()}", body);
        put.AssertOk();
        Assert.Equal(w.GetProperty("guid").GetString(), put.Data.GetProperty("guid").GetString());
        Assert.Equal(w.GetProperty("embed_code").GetString(), put.Data.GetProperty("embed_code").GetString());
        Assert.Equal(w.GetProperty("created_at").GetInt64(), put.Data.GetProperty("created_at").GetInt64());
    }

    [Fact]
    public async Task A_form_body_with_bracket_keys_creates_the_same_widget()
    {
        var api = await factory.NewStackClientAsync();
        var response = await api.PostFormAsync("widgets",
            $"style%5Bname%5D=Form+widget&style%5Bstyle%5D=base_feed&style%5Btiles_per_page%5D=12&config%5Blightbox%5D%5Bshow_nav%5D=1&filter_id={api.LatestFilterId}&custom_css=.f%7B%7D");
        response.AssertOk();
        var w = response.Data;
        Assert.Equal("Form widget", w.Name());
        Assert.Equal("fixed", w.Style().GetProperty("type").GetString());
        Assert.Equal("12", w.Style().GetProperty("tiles_per_page").GetString());
        Assert.Equal(970, w.Style().GetProperty("width").GetInt32());
        Assert.Equal("1", w.GetProperty("config").GetProperty("lightbox").GetProperty("show_nav").GetString());
        Assert.Equal(".f{}", w.GetProperty("custom_css").GetString());
    }

    [Fact]
    public async Task Widgets_answer_in_xml_with_the_nested_style()
    {
        var api = await factory.NewStackClientAsync();
        var w = await api.CreateWidgetAsync("""{"name":"Xml <&> widget","style":"base_feed"}""", extra: ""","config":{"claim_config":{"show_claim_button_on_tags":[3,4]}}""");
        var xml = await api.SendAsync(HttpMethod.Get, $"/api/widgets/{w.Id()}.xml?access_token={api.Token}&stack={api.Stack}");
        Assert.Equal(HttpStatusCode.OK, xml.Status);
        var doc = System.Xml.Linq.XDocument.Parse(xml.Body);
        var data = doc.Root!.Element("data")!;
        Assert.Equal("Xml <&> widget", data.Element("style")!.Element("name")!.Value);
        Assert.Equal("fixed", data.Element("style")!.Element("type")!.Value);
        Assert.Equal("portrait", data.Element("config")!.Element("lightbox")!.Element("layout")!.Value);
        Assert.Equal(["3", "4"], data.Element("config")!.Element("claim_config")!.Element("show_claim_button_on_tags")!.Elements("item").Select(e => e.Value));
        Assert.StartsWith("<div class=\"stackla-widget\"", data.Element("embed_code")!.Value, StringComparison.Ordinal);

        var list = await api.SendAsync(HttpMethod.Get, $"/api/widgets.xml?access_token={api.Token}&stack={api.Stack}");
        Assert.Equal(HttpStatusCode.OK, list.Status);
        Assert.Single(System.Xml.Linq.XDocument.Parse(list.Body).Root!.Element("data")!.Elements("item"));
    }

    [Fact]
    public async Task A_read_only_token_may_list_and_read_but_not_write()
    {
        var stack = await factory.CreateStackAsync();
        var rw = new ApiClient(factory.CreateClient(), stack.Stack, stack.AccessToken, stack.StackId) { LatestFilterId = stack.LatestFilterId };
        var w = await rw.CreateWidgetAsync("""{"name":"Guarded"}""");
        var token = await factory.IssueTokenAsync(stack, Tessera.Server.Auth.AclGroups.Admin, Tessera.Server.Auth.TokenScope.Read);
        var ro = new ApiClient(factory.CreateClient(), stack.Stack, token, stack.StackId);

        (await ro.GetAsync($"widgets/{w.Id()}")).AssertOk();
        (await ro.GetAsync("widgets")).AssertOk();
        Assert.Equal(HttpStatusCode.Forbidden, (await ro.PutJsonAsync($"widgets/{w.Id()}", """{"custom_css":"x"}""")).Status);
        Assert.Equal(HttpStatusCode.Forbidden, (await ro.PostJsonAsync($"widgets/{w.Id()}?action=clone", "[]")).Status);
        Assert.Equal(HttpStatusCode.Forbidden, (await ro.DeleteAsync($"widgets/{w.Id()}")).Status);
        Assert.Equal(string.Empty, (await rw.GetWidgetAsync(w.Id())).GetProperty("custom_css").GetString());
    }
}
