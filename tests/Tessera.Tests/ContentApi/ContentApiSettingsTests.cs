using System.Net;
using System.Text.Json;
using Tessera.Tests.Infrastructure;
using static Tessera.Tests.ContentApi.PublicContent;

namespace Tessera.Tests.ContentApi;

/// <summary>
/// <c>GET|PUT /api/contentapi</c> and <c>POST /api/contentapi/rotate</c> (decisions §6): the stack's
/// plugin, its filter, allowed domains and switch, and the public id websites use, which rotation
/// replaces at once. Unknown ids are a 404 with a JSON body.
/// </summary>
[Collection(ApiCollection.Name)]
public sealed class ContentApiSettingsTests(TesseraFactory factory)
{
    [Fact]
    public async Task A_new_stack_has_an_enabled_plugin_serving_latest_under_the_id_stack_create_printed()
    {
        var api = await factory.NewStackClientAsync();
        var tile = (await api.CreateTileAsync("message=m")).GetProperty("id").GetString()!;

        var response = await api.GetAsync("contentapi");
        response.AssertOk();
        var plugin = response.Data;
        Assert.Matches("^[A-Za-z0-9_-]{32}$", api.ContentApiPluginId);
        Assert.Equal(api.ContentApiPluginId, plugin.GetProperty("plugin_id").GetString());
        Assert.EndsWith($"/content_api/{api.ContentApiPluginId}", plugin.GetProperty("url").GetString(), StringComparison.Ordinal);
        Assert.Equal(api.LatestFilterId, plugin.GetProperty("filter_id").GetInt32());
        Assert.Equal(JsonValueKind.Array, plugin.GetProperty("allowed_domains").ValueKind);
        Assert.Equal(0, plugin.GetProperty("allowed_domains").GetArrayLength());
        Assert.True(plugin.GetProperty("enabled").GetBoolean());

        var url = new Uri(plugin.GetProperty("url").GetString()!);
        Assert.Equal([tile], Ids(await api.SendAsync(HttpMethod.Get, url.PathAndQuery)));
    }

    [Fact]
    public async Task Every_stack_gets_its_own_unguessable_plugin_id()
    {
        var ids = new HashSet<string>();
        for (var i = 0; i < 5; i++)
        {
            var api = await factory.NewStackClientAsync();
            Assert.Matches("^[A-Za-z0-9_-]{32}$", api.ContentApiPluginId);
            Assert.True(ids.Add(api.ContentApiPluginId));
        }
    }

    [Fact]
    public async Task The_settings_need_credentials()
    {
        var api = await factory.NewStackClientAsync();

        var read = await api.SendAsync(HttpMethod.Get, $"/api/contentapi?stack={api.Stack}");
        read.AssertError(HttpStatusCode.Unauthorized, 1010401);
        Assert.DoesNotContain(api.ContentApiPluginId, read.Body, StringComparison.Ordinal);
        (await api.SendAsync(HttpMethod.Post, $"/api/contentapi/rotate?stack={api.Stack}")).AssertError(HttpStatusCode.Unauthorized, 1010401);
        Assert.Equal(api.ContentApiPluginId, (await api.GetAsync("contentapi")).Data.GetProperty("plugin_id").GetString());
    }

    [Fact]
    public async Task The_filter_can_be_set_to_one_of_the_stack_and_cleared_to_serve_everything()
    {
        var api = await factory.NewStackClientAsync();
        var tag = await api.CreateTagAsync("T");
        var tagged = (await api.CreateTileAsync($"message=a&tags={tag}")).GetProperty("id").GetString()!;
        var untagged = (await api.CreateTileAsync("message=b")).GetProperty("id").GetString()!;
        var filter = await api.CreateFilterAsync($"name=F&tags={tag}");

        var set = await api.PutQueryAsync("contentapi", $"filter_id={filter}");
        set.AssertOk();
        Assert.Equal(filter, set.Data.GetProperty("filter_id").GetInt32());
        Assert.Equal(filter, (await api.GetAsync("contentapi")).Data.GetProperty("filter_id").GetInt32());
        Assert.Equal([tagged], await api.PublicIdsAsync());

        var cleared = await api.PutQueryAsync("contentapi", "filter_id=");
        cleared.AssertOk();
        Assert.Equal(JsonValueKind.Null, cleared.Data.GetProperty("filter_id").ValueKind);
        Assert.Equal([untagged, tagged], await api.PublicIdsAsync());
    }

    [Fact]
    public async Task Deleting_the_plugins_filter_makes_it_serve_everything()
    {
        var api = await factory.NewStackClientAsync();
        var tag = await api.CreateTagAsync("T");
        var tagged = (await api.CreateTileAsync($"message=a&tags={tag}")).GetProperty("id").GetString()!;
        var untagged = (await api.CreateTileAsync("message=b")).GetProperty("id").GetString()!;
        var filter = await api.CreateFilterAsync($"name=F&tags={tag}");
        (await api.PutQueryAsync("contentapi", $"filter_id={filter}")).AssertOk();
        Assert.Equal([tagged], await api.PublicIdsAsync());

        (await api.DeleteAsync($"filters/{filter}")).AssertOk();

        Assert.Equal(JsonValueKind.Null, (await api.GetAsync("contentapi")).Data.GetProperty("filter_id").ValueKind);
        Assert.Equal([untagged, tagged], await api.PublicIdsAsync());
    }

    [Theory]
    [InlineData("foreign")]
    [InlineData("missing")]
    [InlineData("abc")]
    [InlineData("0")]
    [InlineData("-4")]
    public async Task A_filter_id_that_is_not_a_filter_of_the_stack_is_a_400_that_changes_nothing(string value)
    {
        var api = await factory.NewStackClientAsync();
        var other = await factory.NewStackClientAsync();
        var filterId = value switch
        {
            "foreign" => (await other.CreateFilterAsync("name=Theirs")).ToString(System.Globalization.CultureInfo.InvariantCulture),
            "missing" => "987654321",
            _ => value,
        };

        var response = await api.PutQueryAsync("contentapi", $"filter_id={filterId}&enabled=0");

        response.AssertError(HttpStatusCode.BadRequest, SettingsInvalid);
        Assert.Contains("filter_id", response.Error.GetProperty("message").GetString(), StringComparison.Ordinal);
        var plugin = (await api.GetAsync("contentapi")).Data;
        Assert.Equal(api.LatestFilterId, plugin.GetProperty("filter_id").GetInt32());
        Assert.True(plugin.GetProperty("enabled").GetBoolean());
    }

    [Fact]
    public async Task Allowed_domains_take_hosts_wildcards_and_origins_in_canonical_form()
    {
        var api = await factory.NewStackClientAsync();

        var response = await api.PutQueryAsync("contentapi",
            "allowed_domains=" + Uri.EscapeDataString("HTTPS://Shop.Example.com/, Example.org ,*.example.net,http://localhost:8080,example.org"));

        response.AssertOk();
        string[] expected = ["https://shop.example.com", "example.org", "*.example.net", "http://localhost:8080"];
        Assert.Equal(expected, response.Data.GetProperty("allowed_domains").EnumerateArray().Select(d => d.GetString()!));
        Assert.Equal(expected, (await api.GetAsync("contentapi")).Data.GetProperty("allowed_domains").EnumerateArray().Select(d => d.GetString()!));

        (await api.PutQueryAsync("contentapi", "allowed_domains%5B0%5D=a.example&allowed_domains%5B1%5D=b.example")).AssertOk();
        Assert.Equal(["a.example", "b.example"], (await api.GetAsync("contentapi")).Data.GetProperty("allowed_domains").EnumerateArray().Select(d => d.GetString()!));

        (await api.PutQueryAsync("contentapi", "allowed_domains=")).AssertOk();
        Assert.Equal(0, (await api.GetAsync("contentapi")).Data.GetProperty("allowed_domains").GetArrayLength());
    }

    [Theory]
    [InlineData("not a domain")]
    [InlineData("ftp://example.com")]
    [InlineData("https://example.com/path")]
    [InlineData("https://example.com/?q=1")]
    [InlineData("https://user@example.com")]
    [InlineData("javascript:alert(1)")]
    [InlineData("example.com.")]
    [InlineData("*.")]
    [InlineData("*example.com")]
    [InlineData("exa mple.com")]
    [InlineData("exa_mple.com")]
    [InlineData("https://")]
    [InlineData("good.example,bad domain")]
    public async Task A_bad_allowed_domain_is_a_400_that_changes_nothing(string domains)
    {
        var api = await factory.NewStackClientAsync();
        (await api.PutQueryAsync("contentapi", "allowed_domains=kept.example")).AssertOk();

        var response = await api.PutQueryAsync("contentapi", $"allowed_domains={Uri.EscapeDataString(domains)}&enabled=0");

        response.AssertError(HttpStatusCode.BadRequest, SettingsInvalid);
        Assert.Contains("allowed_domains", response.Error.GetProperty("message").GetString(), StringComparison.Ordinal);
        var plugin = (await api.GetAsync("contentapi")).Data;
        Assert.Equal(["kept.example"], plugin.GetProperty("allowed_domains").EnumerateArray().Select(d => d.GetString()!));
        Assert.True(plugin.GetProperty("enabled").GetBoolean());
    }

    [Fact]
    public async Task A_disabled_plugin_is_404_from_the_next_request_until_enabled_again()
    {
        var api = await factory.NewStackClientAsync();
        var tile = (await api.CreateTileAsync("message=m")).GetProperty("id").GetString()!;
        Assert.Equal([tile], await api.PublicIdsAsync());
        Assert.Equal([tile], await api.PublicIdsAsync());

        var disabled = await api.PutQueryAsync("contentapi", "enabled=0");
        disabled.AssertOk();
        Assert.False(disabled.Data.GetProperty("enabled").GetBoolean());
        AssertPluginNotFound(await api.PublicContentAsync());
        AssertPluginNotFound(await api.PublicContentAsync("limit=1"));

        (await api.PutQueryAsync("contentapi", "enabled=true")).AssertOk();
        Assert.Equal([tile], await api.PublicIdsAsync());
    }

    [Fact]
    public async Task Rotating_issues_a_new_id_and_the_old_one_is_404_at_once()
    {
        var api = await factory.NewStackClientAsync();
        var tile = (await api.CreateTileAsync("message=m")).GetProperty("id").GetString()!;
        var old = api.ContentApiPluginId;
        var cached = await api.PublicContentAsync();
        Assert.Equal([tile], Ids(cached));
        Assert.Equal(HttpStatusCode.NotModified, (await api.PublicContentAsync(configure: Header("If-None-Match", ETagOf(cached)))).Status);

        var rotated = await api.PostFormAsync("contentapi/rotate", string.Empty);
        rotated.AssertOk();
        var fresh = rotated.Data.GetProperty("plugin_id").GetString()!;

        Assert.Matches("^[A-Za-z0-9_-]{32}$", fresh);
        Assert.NotEqual(old, fresh);
        Assert.EndsWith($"/content_api/{fresh}", rotated.Data.GetProperty("url").GetString(), StringComparison.Ordinal);
        AssertPluginNotFound(await api.PublicContentOfAsync(old));
        AssertPluginNotFound(await api.PublicContentOfAsync(old, configure: Header("If-None-Match", ETagOf(cached))));
        Assert.Equal([tile], Ids(await api.PublicContentOfAsync(fresh)));
        Assert.Equal(fresh, (await api.GetAsync("contentapi")).Data.GetProperty("plugin_id").GetString());
        Assert.Equal(api.LatestFilterId, rotated.Data.GetProperty("filter_id").GetInt32());
    }

    [Theory]
    [InlineData("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")]
    [InlineData("short")]
    [InlineData("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")]
    [InlineData("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAA%21%21")]
    [InlineData("%27%20OR%201%3D1%20--%20AAAAAAAAAAAAAAAAAAAAA")]
    public async Task An_unknown_or_malformed_plugin_id_is_404_with_a_json_body(string pluginId)
    {
        var api = await factory.NewStackClientAsync();
        await api.CreateTileAsync("message=m");

        AssertPluginNotFound(await api.PublicContentOfAsync(pluginId));
        AssertPluginNotFound(await api.PublicContentOfAsync(pluginId, "limit=1&tags=1"));
    }

    [Fact]
    public async Task Another_stacks_token_cannot_change_the_plugin()
    {
        var api = await factory.NewStackClientAsync();
        var other = await factory.NewStackClientAsync();

        var response = await api.SendAsync(HttpMethod.Put, $"/api/contentapi?access_token={other.Token}&stack={api.Stack}&enabled=0");

        Assert.NotEqual(HttpStatusCode.OK, response.Status);
        Assert.True((await api.GetAsync("contentapi")).Data.GetProperty("enabled").GetBoolean());
        Assert.True((await other.GetAsync("contentapi")).Data.GetProperty("enabled").GetBoolean());
    }
}
