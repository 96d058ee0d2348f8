using System.Globalization;
using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Tessera.Server.Auth;
using Tessera.Tests.Infrastructure;

namespace Tessera.Tests.Rules;

/// <summary>The CRUD surface of <c>/api/tilerules</c>: wire shape, paths, paging, access.</summary>
[Collection(ApiCollection.Name)]
public sealed class RuleApiTests(TesseraFactory factory)
{
    private const string Trigger = """{"$or": [{"media": "image"}, {"message": {"$regex": "beach", "$options": "i"}}]}""";
    private const string Action = """[{"type": "$set", "field": "status", "value": "queued"}]""";

    [Fact]
    public async Task A_rule_is_created_read_updated_listed_and_deleted_with_and_without_the_trailing_slash()
    {
        var api = await factory.NewStackClientAsync();
        var created = await api.SendRuleAsync(HttpMethod.Post, "tilerules/",
            $$"""{"name": "Beach", "trigger": {{Trigger}}, "action": {{Action}}, "enabled": 1, "type": "tile"}""");
        created.AssertOk();
        var rule = created.Data;
        var id = rule.GetProperty("id").GetInt32();
        Assert.Equal("Beach", rule.GetProperty("name").GetString());
        Assert.Equal(JsonValueKind.Object, rule.GetProperty("trigger").ValueKind);
        Assert.Equal("image", rule.GetProperty("trigger").GetProperty("$or")[0].GetProperty("media").GetString());
        Assert.Equal("status", rule.GetProperty("action")[0].GetProperty("field").GetString());
        Assert.Equal(1, rule.GetProperty("enabled").GetInt32());
        Assert.Equal("tile", rule.GetProperty("type").GetString());
        Assert.True(rule.GetProperty("created_at").GetInt64() > 1_700_000_000);
        Assert.Equal(rule.GetProperty("created_at").GetInt64(), rule.GetProperty("updated_at").GetInt64());

        Assert.Equal("Beach", (await api.GetAsync($"tilerules/{id}")).Data.GetProperty("name").GetString());
        Assert.Equal([id], (await api.GetAsync("tilerules")).Data.EnumerateArray().Select(r => r.GetProperty("id").GetInt32()));
        Assert.Equal([id], (await api.GetAsync("tilerules/")).Data.EnumerateArray().Select(r => r.GetProperty("id").GetInt32()));

        // An update changes what it names and keeps the rest.
        var updated = await api.SendRuleAsync(HttpMethod.Put, $"tilerules/{id}", """{"name": "Beach 2", "enabled": false}""");
        updated.AssertOk();
        Assert.Equal("Beach 2", updated.Data.GetProperty("name").GetString());
        Assert.Equal(0, updated.Data.GetProperty("enabled").GetInt32());
        Assert.Equal(rule.GetProperty("trigger").GetRawText(), updated.Data.GetProperty("trigger").GetRawText());
        Assert.Equal(rule.GetProperty("action").GetRawText(), updated.Data.GetProperty("action").GetRawText());

        var deleted = await api.DeleteAsync($"tilerules/{id}");
        deleted.AssertOk();
        Assert.Equal("Beach 2", deleted.Data.GetProperty("name").GetString());
        (await api.GetAsync($"tilerules/{id}")).AssertError(HttpStatusCode.NotFound, 1090404, "rule:not_found");
        Assert.Equal(0, (await api.GetAsync("tilerules")).Data.GetArrayLength());
    }

    [Fact]
    public async Task A_rule_reads_as_xml_with_its_operator_keys_encoded()
    {
        var api = await factory.NewStackClientAsync();
        var id = await api.CreateRuleAsync(Trigger, Action);
        var xml = await api.SendAsync(HttpMethod.Get, api.Url($"tilerules/{id}.xml"));
        Assert.Equal(HttpStatusCode.OK, xml.Status);
        var document = System.Xml.Linq.XDocument.Parse(xml.Body);
        Assert.Equal("image", document.Descendants("media").Single().Value);
        Assert.Single(document.Descendants(System.Xml.XmlConvert.EncodeLocalName("$or")));
    }

    [Theory]
    [InlineData("1", 1)]
    [InlineData("0", 0)]
    [InlineData("true", 1)]
    [InlineData("false", 0)]
    [InlineData("\"1\"", 1)]
    [InlineData("\"false\"", 0)]
    public async Task Enabled_accepts_1_0_true_and_false(string enabled, int stored)
    {
        var api = await factory.NewStackClientAsync();
        var created = await api.SendRuleAsync(HttpMethod.Post, "tilerules",
            $$"""{"name": "R", "trigger": {}, "action": {{Action}}, "enabled": {{enabled}}}""");
        created.AssertOk();
        Assert.Equal(stored, created.Data.GetProperty("enabled").GetInt32());
    }

    [Fact]
    public async Task Enabled_and_type_default_to_1_and_tile()
    {
        var api = await factory.NewStackClientAsync();
        var created = await api.SendRuleAsync(HttpMethod.Post, "tilerules", $$"""{"name": "R", "trigger": {}, "action": {{Action}}}""");
        created.AssertOk();
        Assert.Equal(1, created.Data.GetProperty("enabled").GetInt32());
        Assert.Equal("tile", created.Data.GetProperty("type").GetString());
    }

    [Fact]
    public async Task A_rule_can_be_sent_as_a_form_with_php_bracket_arrays()
    {
        var api = await factory.NewStackClientAsync();
        var created = await api.PostFormAsync("tilerules",
            "name=Form&trigger%5Bmedia%5D=image&action%5B0%5D%5Btype%5D=%24set&action%5B0%5D%5Bfield%5D=status&action%5B0%5D%5Bvalue%5D=queued&enabled=1");
        created.AssertOk();
        Assert.Equal("image", created.Data.GetProperty("trigger").GetProperty("media").GetString());
        Assert.Equal("queued", created.Data.GetProperty("action")[0].GetProperty("value").GetString());

        // And trigger and action as JSON strings inside a form.
        var json = await api.PostFormAsync("tilerules",
            $"name=Json&trigger={Uri.EscapeDataString("""{"media": "video"}""")}&action={Uri.EscapeDataString(Action)}");
        json.AssertOk();
        Assert.Equal("video", json.Data.GetProperty("trigger").GetProperty("media").GetString());
    }

    [Fact]
    public async Task Lists_inside_a_form_may_be_indexed_bracket_arrays_as_php_writes_them()
    {
        var api = await factory.NewStackClientAsync();
        var red = await api.CreateTagAsync("Red");
        var blue = await api.CreateTagAsync("Blue");
        // What PHP's http_build_query makes of a rule: every list, at any depth, as [0], [1], …
        var form = string.Join("&", new (string Key, object Value)[]
        {
            ("name", "Form"),
            ("trigger[media][$in][0]", "image"),
            ("trigger[media][$in][1]", "video"),
            ("action[0][type]", "$addToSet"),
            ("action[0][field]", "tags"),
            ("action[0][value][0]", red),
            ("action[0][value][1]", blue),
            ("action[1][type]", "$set"),
            ("action[1][field]", "hotspots"),
            ("action[1][value][0][coords][0]", 10),
            ("action[1][value][0][coords][1]", 20),
            ("action[1][value][0][tag][id]", red),
        }.Select(p => $"{Uri.EscapeDataString(p.Key)}={Uri.EscapeDataString(Convert.ToString(p.Value, CultureInfo.InvariantCulture)!)}"));
        var created = await api.PostFormAsync("tilerules", form);
        created.AssertOk();
        Assert.Equal(["image", "video"], created.Data.GetProperty("trigger").GetProperty("media").GetProperty("$in").Strings());
        Assert.Equal([Id(red), Id(blue)], created.Data.GetProperty("action")[0].GetProperty("value").Strings());
        Assert.Equal(JsonValueKind.Array, created.Data.GetProperty("action")[1].GetProperty("value")[0].GetProperty("coords").ValueKind);

        var tile = await api.CreateTileAsync("message=m&image_url=https%3A%2F%2Fcdn.example%2Fa.jpg");
        Assert.Equal([Id(red), Id(blue)], tile.GetProperty("tags").Strings());
        var hotspot = Assert.Single(tile.GetProperty("hotspots").EnumerateArray());
        Assert.Equal([10, 20], hotspot.GetProperty("coords").EnumerateArray().Select(c => c.GetDouble()));
        Assert.Equal(red, hotspot.GetProperty("tag").GetProperty("id").GetInt32());
    }

    [Fact]
    public async Task The_list_is_paged_in_id_order()
    {
        var api = await factory.NewStackClientAsync();
        var ids = new List<int>();
        for (var i = 0; i < 3; i++)
        {
            ids.Add(await api.CreateRuleAsync("{}", Action, name: $"R{i}"));
        }

        var second = await api.GetAsync("tilerules", "limit=2&page=2");
        second.AssertOk();
        Assert.Equal([ids[2]], second.Data.EnumerateArray().Select(r => r.GetProperty("id").GetInt32()));
        Assert.Equal(ids[..2], (await api.GetAsync("tilerules", "limit=2")).Data.EnumerateArray().Select(r => r.GetProperty("id").GetInt32()));
        (await api.GetAsync("tilerules", "limit=101")).AssertFieldError("limit");
    }

    [Fact]
    public async Task A_rule_of_another_stack_is_404_by_every_path()
    {
        var owner = await factory.NewStackClientAsync();
        var other = await factory.NewStackClientAsync();
        var ruleId = await owner.CreateRuleAsync("{}", Action);
        var tile = (await owner.CreateTileAsync("message=mine")).GetProperty("id").GetString()!;

        var attempts = new[]
        {
            await other.GetAsync($"tilerules/{ruleId}"),
            await other.SendRuleAsync(HttpMethod.Put, $"tilerules/{ruleId}", """{"name": "Taken"}"""),
            await other.DeleteAsync($"tilerules/{ruleId}"),
            await other.SendAsync(HttpMethod.Put, other.Url($"tilerules/{ruleId}/apply")),
            await other.SendAsync(HttpMethod.Post, other.Url($"tilerules/{ruleId}/apply")),
            await other.GetAsync($"tilerules/{ruleId}/apply"),
            await other.PreviewAsync(ruleId),
        };
        foreach (var response in attempts)
        {
            response.AssertError(HttpStatusCode.NotFound, 1090404, "rule:not_found");
        }

        Assert.Equal(0, (await other.GetAsync("tilerules")).Data.GetArrayLength());
        var rule = (await owner.GetAsync($"tilerules/{ruleId}")).Data;
        Assert.Equal("Rule", rule.GetProperty("name").GetString());
        Assert.Equal("queued", (await owner.GetTileAsync(tile)).GetProperty("status").GetString()); // still the owner's rule
    }

    [Fact]
    public async Task One_stacks_rules_never_touch_another_stacks_tiles()
    {
        var owner = await factory.NewStackClientAsync();
        var other = await factory.NewStackClientAsync();
        var ruleId = await owner.CreateRuleAsync("{}", Action);
        var theirs = (await other.CreateTileAsync("message=theirs")).GetProperty("id").GetString()!;
        Assert.Equal("published", (await other.GetTileAsync(theirs)).GetProperty("status").GetString());

        var job = await owner.ApplyAndWaitAsync(ruleId);
        Assert.Equal(0, job.GetProperty("total").GetInt32());
        Assert.Equal(0, (await owner.PreviewAsync(ruleId)).Data.GetProperty("matched").GetInt32());
        var tile = await other.GetTileAsync(theirs);
        Assert.Equal("published", tile.GetProperty("status").GetString());
        Assert.Equal(0, tile.GetProperty("rules").GetArrayLength());
    }

    [Theory]
    [InlineData(AclGroups.Admin, true)]
    [InlineData(AclGroups.Developer, true)]
    [InlineData(AclGroups.Moderator, false)]
    public async Task Admins_and_developers_may_manage_rules_and_moderators_may_not(AclGroups groups, bool allowed)
    {
        var stack = await factory.CreateStackAsync();
        var api = new ApiClient(factory.CreateClient(), stack.Stack, await factory.IssueTokenAsync(stack, groups, TokenScope.ReadWrite));
        var response = await api.SendRuleAsync(HttpMethod.Post, "tilerules", $$"""{"name": "R", "trigger": {}, "action": {{Action}}}""");
        if (allowed)
        {
            response.AssertOk();
        }
        else
        {
            response.AssertError(HttpStatusCode.Forbidden, 1090403, "rule:forbidden");
            (await api.GetAsync("tilerules")).AssertError(HttpStatusCode.Forbidden, 1090403, "rule:forbidden");
        }
    }

    [Fact]
    public async Task A_read_only_token_may_list_rules_but_not_write_apply_or_preview()
    {
        var stack = await factory.CreateStackAsync();
        var admin = new ApiClient(factory.CreateClient(), stack.Stack, stack.AccessToken);
        var ruleId = await admin.CreateRuleAsync("{}", Action);
        var api = new ApiClient(factory.CreateClient(), stack.Stack, await factory.IssueTokenAsync(stack, AclGroups.Admin, TokenScope.Read));

        (await api.GetAsync($"tilerules/{ruleId}")).AssertOk();
        (await api.SendRuleAsync(HttpMethod.Put, $"tilerules/{ruleId}", """{"name": "X"}""")).AssertError(HttpStatusCode.Forbidden, 1090403, "rule:read_only_token");
        (await api.SendAsync(HttpMethod.Put, api.Url($"tilerules/{ruleId}/apply"))).AssertError(HttpStatusCode.Forbidden, 1090403, "rule:read_only_token");
        (await api.PreviewAsync(ruleId)).AssertError(HttpStatusCode.Forbidden, 1090403, "rule:read_only_token");
    }

    [Fact]
    public void Preview_is_marked_as_a_preview_endpoint_and_the_others_are_not()
    {
        var endpoints = factory.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.RoutePattern.RawText?.StartsWith("/api/tilerules", StringComparison.Ordinal) == true)
            .ToList();
        Assert.NotEmpty(endpoints);
        foreach (var endpoint in endpoints)
        {
            var access = endpoint.Metadata.GetMetadata<ApiAccess>();
            Assert.NotNull(access);
            Assert.Equal(ApiArea.Rules, access.Area);
            Assert.Equal(endpoint.RoutePattern.RawText!.EndsWith("/preview", StringComparison.Ordinal), access.Preview);
        }
    }

    private static string Id(int tagId) => tagId.ToString(CultureInfo.InvariantCulture);
}
