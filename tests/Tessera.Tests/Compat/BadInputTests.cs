using System.Net;
using System.Text;
using Tessera.Tests.Infrastructure;

namespace Tessera.Tests.Compat;

/// <summary>Every bad input is a clear 4xx envelope: never a 500, never a partial write.</summary>
[Collection(ApiCollection.Name)]
public sealed class BadInputTests(TesseraFactory factory)
{
    public static TheoryData<string, string> InvalidForms => new()
    {
        { "oversized name", $"tag={new string('x', 256)}&type=content" },
        { "unknown enum", "tag=T&type=colour" },
        { "unknown target", "tag=T&type=content&target=_new" },
        { "priority out of range", "tag=T&type=content&priority=6" },
        { "priority not a number", "tag=T&type=content&priority=high" },
        { "boolean not a boolean", "tag=T&type=content&vote_enabled=maybe" },
        { "url not a url", "tag=T&type=content&custom_url=javascript%3Aalert(1)" },
        { "NUL byte", "tag=T%00x&type=content" },
        { "control character", "tag=T%07x&type=content" },
        { "oversized description", $"tag=T&type=content&description={new string('d', 513)}" },
        { "too many categories", "tag=T&type=product&categories=" + string.Join(",", Enumerable.Range(0, 51)) },
        { "custom_fields not an object", "tag=T&type=content&custom_fields=%5B1%2C2%5D" },
        { "list given as an object of objects", "tag=T&type=product&categories%5B0%5D%5Ba%5D=1" },
        { "name is blank", "tag=+++&type=content" },
    };

    [Theory]
    [MemberData(nameof(InvalidForms))]
    public async Task Invalid_fields_are_400_and_nothing_is_written(string why, string form)
    {
        var api = await factory.NewStackClientAsync();
        var response = await api.PostFormAsync("tags", form);
        Assert.True(response.Status == HttpStatusCode.BadRequest, $"{why}: {(int)response.Status} {response.Body}");
        response.AssertError(HttpStatusCode.BadRequest, 1070400);
        Assert.Equal(0, (await api.GetAsync("tags")).Data.GetArrayLength());
    }

    [Theory]
    [InlineData("abc")]
    [InlineData("-1")]
    [InlineData("0")]
    [InlineData("1.5")]
    [InlineData("99999999999999999999")]
    [InlineData("ext:")]
    public async Task Malformed_ids_are_400(string id)
    {
        var api = await factory.NewStackClientAsync();
        (await api.GetAsync($"tags/{Uri.EscapeDataString(id)}")).AssertError(HttpStatusCode.BadRequest, 1070400, "tag:invalid_id");
    }

    [Fact]
    public async Task Invalid_utf8_in_the_query_is_400()
    {
        var api = await factory.NewStackClientAsync();
        (await api.GetAsync("tags", "keyword=%FF%FE")).AssertError(HttpStatusCode.BadRequest, 1070400, "tag:invalid_request");
    }

    [Fact]
    public async Task Invalid_utf8_in_a_form_body_is_400()
    {
        var api = await factory.NewStackClientAsync();
        var body = new ByteArrayContent([.. Encoding.ASCII.GetBytes("type=content&tag="), 0xC3, 0x28]);
        body.Headers.ContentType = new("application/x-www-form-urlencoded");
        (await api.SendAsync(HttpMethod.Post, api.Url("tags"), body)).AssertError(HttpStatusCode.BadRequest, 1070400);
        Assert.Equal(0, (await api.GetAsync("tags")).Data.GetArrayLength());
    }

    [Fact]
    public async Task Invalid_utf8_in_a_json_body_is_400()
    {
        var api = await factory.NewStackClientAsync();
        var body = new ByteArrayContent([.. Encoding.ASCII.GetBytes("{\"type\":\"content\",\"tag\":\""), 0xFF, .. Encoding.ASCII.GetBytes("\"}")]);
        (await api.SendAsync(HttpMethod.Post, api.Url("tags"), body)).AssertError(HttpStatusCode.BadRequest, 1070400);
    }

    [Fact]
    public async Task Lone_surrogate_in_json_is_400()
    {
        var api = await factory.NewStackClientAsync();
        (await api.SendRawJsonAsync(HttpMethod.Post, "tags", "{\"type\":\"content\",\"tag\":\"a\\ud800b\"}")).AssertError(HttpStatusCode.BadRequest, 1070400);
    }

    [Fact]
    public async Task Duplicate_json_keys_are_400()
    {
        var api = await factory.NewStackClientAsync();
        (await api.SendRawJsonAsync(HttpMethod.Post, "tags", "{\"tag\":\"a\",\"tag\":\"b\",\"type\":\"content\"}")).AssertError(HttpStatusCode.BadRequest, 1070400);
        (await api.PostFormAsync("tags", "tag=T&type=content&custom_fields=" + Uri.EscapeDataString("{\"k\":1,\"k\":2}"))).AssertError(HttpStatusCode.BadRequest, 1070400);
        Assert.Equal(0, (await api.GetAsync("tags")).Data.GetArrayLength());
    }

    [Fact]
    public async Task Noncharacters_in_text_are_400()
    {
        var api = await factory.NewStackClientAsync();
        (await api.PostFormAsync("tags", "tag=a%EF%BF%BEb&type=content")).AssertError(HttpStatusCode.BadRequest, 1070400);
    }

    [Fact]
    public async Task An_unreadable_body_is_still_counted_and_carries_the_rate_limit_headers()
    {
        var api = await factory.NewStackClientAsync();
        var response = await api.SendAsync(HttpMethod.Post, api.Url("tags"), new StringContent("{\"tag\": ", Encoding.UTF8, "application/json"));
        response.AssertError(HttpStatusCode.BadRequest, 1070400, "tag:invalid_request");
        Assert.Equal("449", response.Headers["X-API-Remaining-Requests"]);
        Assert.Equal("448", (await api.GetAsync("tags")).Headers["X-API-Remaining-Requests"]);
    }

    [Fact]
    public async Task Malformed_json_is_400()
    {
        var api = await factory.NewStackClientAsync();
        var response = await api.SendAsync(HttpMethod.Post, api.Url("tags"), new StringContent("{\"tag\": ", Encoding.UTF8, "application/json"));
        response.AssertError(HttpStatusCode.BadRequest, 1070400, "tag:invalid_request");
    }

    [Fact]
    public async Task Json_array_body_with_items_is_400()
    {
        var api = await factory.NewStackClientAsync();
        (await api.SendRawJsonAsync(HttpMethod.Post, "tags", "[1,2]")).AssertError(HttpStatusCode.BadRequest, 1070400);
    }

    [Fact]
    public async Task Deeply_nested_json_is_400()
    {
        var api = await factory.NewStackClientAsync();
        var json = "{\"tag\":\"T\",\"type\":\"content\",\"custom_fields\":" + new string('[', 40) + new string(']', 40) + "}";
        (await api.SendRawJsonAsync(HttpMethod.Post, "tags", json)).AssertError(HttpStatusCode.BadRequest, 1070400);
    }

    [Fact]
    public async Task Body_over_one_megabyte_is_413()
    {
        var api = await factory.NewStackClientAsync();
        var form = "tag=T&type=content&description=" + new string('x', 1024 * 1024 + 10);
        var response = await api.PostFormAsync("tags", form);
        response.AssertError(HttpStatusCode.RequestEntityTooLarge, 1070413, "tag:body_too_large");
    }

    [Fact]
    public async Task Too_many_parameters_is_400()
    {
        var api = await factory.NewStackClientAsync();
        var form = "tag=T&type=content&" + string.Join("&", Enumerable.Range(0, 1001).Select(i => $"x{i}=1"));
        (await api.PostFormAsync("tags", form)).AssertError(HttpStatusCode.BadRequest, 1070400);
    }

    [Fact]
    public async Task Deep_bracket_keys_are_400()
    {
        var api = await factory.NewStackClientAsync();
        (await api.PostFormAsync("tags", "tag=T&type=content&a[1][2][3][4][5][6]=x")).AssertError(HttpStatusCode.BadRequest, 1070400);
    }

    [Fact]
    public async Task Oversized_token_is_401_not_500()
    {
        var api = await factory.NewStackClientAsync();
        (await api.SendAsync(HttpMethod.Get, $"/api/tags?access_token={new string('z', 5000)}")).AssertError(HttpStatusCode.Unauthorized, 1010401);
    }
}
