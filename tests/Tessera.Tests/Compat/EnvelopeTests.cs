using System.Net;
using System.Xml.Linq;
using Tessera.Tests.Infrastructure;

namespace Tessera.Tests.Compat;

[Collection(ApiCollection.Name)]
public sealed class EnvelopeTests(TesseraFactory factory)
{
    [Fact]
    public async Task Success_is_200_with_data_and_empty_errors()
    {
        var api = await factory.NewStackClientAsync();
        var response = await api.PostFormAsync("tags", "tag=E&type=content");
        Assert.Equal(HttpStatusCode.OK, response.Status);
        Assert.Equal("application/json", response.ContentType);
        Assert.Equal(System.Text.Json.JsonValueKind.Object, response.Data.ValueKind);
        Assert.Equal(System.Text.Json.JsonValueKind.Array, response.Errors.ValueKind);
        Assert.Equal(0, response.Errors.GetArrayLength());
    }

    [Fact]
    public async Task Errors_carry_message_code_error_code_and_message_id()
    {
        var api = await factory.NewStackClientAsync();
        var response = await api.GetAsync("tags/999999");
        response.AssertError(HttpStatusCode.NotFound, 1070404, "tag:not_found");
        Assert.False(string.IsNullOrEmpty(response.Error.GetProperty("message").GetString()));
    }

    [Fact]
    public async Task Validation_errors_are_400_with_one_error_per_field()
    {
        var api = await factory.NewStackClientAsync();
        var response = await api.PostFormAsync("tags", "type=colour&priority=9&custom_url=notaurl");
        response.AssertError(HttpStatusCode.BadRequest, 1070400);
        var messages = response.Errors.EnumerateArray().Select(e => e.GetProperty("message").GetString()!).ToList();
        Assert.Equal(4, messages.Count);
        Assert.Contains(messages, m => m.StartsWith("tag:", StringComparison.Ordinal));
        Assert.Contains(messages, m => m.StartsWith("type:", StringComparison.Ordinal));
        Assert.Contains(messages, m => m.StartsWith("priority:", StringComparison.Ordinal));
        Assert.Contains(messages, m => m.StartsWith("custom_url:", StringComparison.Ordinal));
        Assert.Equal(0, (await api.GetAsync("tags")).Data.GetArrayLength());
    }

    [Fact]
    public async Task Xml_carries_stored_text_that_xml_cannot_represent_without_failing()
    {
        var api = await factory.NewStackClientAsync();
        var id = await api.CreateTagAsync("Odd data", "&custom_fields=" + Uri.EscapeDataString("{\"\":1,\"bell\":\"a\\u0007b\",\"emoji\":\"\ud83d\ude00\"}"));
        var response = await api.GetAsync($"tags/{id}.xml");

        Assert.Equal(HttpStatusCode.OK, response.Status);
        var fields = XDocument.Parse(response.Body).Root!.Element("data")!.Element("custom_fields")!;
        Assert.Equal("1", fields.Element("_")!.Value);
        Assert.Equal("a\uFFFDb", fields.Element("bell")!.Value);
        Assert.Equal("\ud83d\ude00", fields.Element("emoji")!.Value);
    }

    [Fact]
    public async Task Unknown_routes_are_404_envelopes()
    {
        var api = await factory.NewStackClientAsync();
        var response = await api.GetAsync("no-such-resource/1");
        response.AssertError(HttpStatusCode.NotFound, 1010404, "request:not_found");
    }

    [Fact]
    public async Task Json_suffix_selects_json_even_when_xml_is_accepted()
    {
        var api = await factory.NewStackClientAsync();
        var response = await api.SendAsync(HttpMethod.Get, api.Url("tags.json"), configure: r => r.Headers.Add("Accept", "application/xml"));
        response.AssertOk();
    }

    [Fact]
    public async Task Xml_suffix_returns_the_envelope_as_xml()
    {
        var api = await factory.NewStackClientAsync();
        var id = await api.CreateTagAsync("Xml <&> tag", "&custom_fields=%7B%22%24id%22%3A1%7D");
        var response = await api.GetAsync($"tags/{id}.xml");

        Assert.Equal(HttpStatusCode.OK, response.Status);
        Assert.Equal("application/xml", response.ContentType);
        var root = XDocument.Parse(response.Body).Root!;
        Assert.Equal("response", root.Name.LocalName);
        Assert.Equal("Xml <&> tag", root.Element("data")!.Element("tag")!.Value);
        Assert.Equal(id.ToString(System.Globalization.CultureInfo.InvariantCulture), root.Element("data")!.Element("id")!.Value);
        Assert.Empty(root.Element("errors")!.Elements());
        // Keys that are not XML names are encoded, not dropped.
        Assert.Equal("1", root.Element("data")!.Element("custom_fields")!.Element("_x0024_id")!.Value);
    }

    [Fact]
    public async Task Accept_xml_returns_lists_as_item_sequences()
    {
        var api = await factory.NewStackClientAsync();
        await api.CreateTagAsync("One");
        await api.CreateTagAsync("Two");
        var response = await api.SendAsync(HttpMethod.Get, api.Url("tags"), configure: r => r.Headers.Add("Accept", "application/xml"));

        var items = XDocument.Parse(response.Body).Root!.Element("data")!.Elements("item").ToList();
        Assert.Equal(["One", "Two"], items.Select(i => i.Element("tag")!.Value));
    }

    [Fact]
    public async Task Errors_are_xml_too_when_xml_is_asked_for()
    {
        var api = await factory.NewStackClientAsync();
        var response = await api.GetAsync("tags/424242.xml");
        Assert.Equal(HttpStatusCode.NotFound, response.Status);
        var error = XDocument.Parse(response.Body).Root!.Element("errors")!.Element("item")!;
        Assert.Equal("1070404", error.Element("error_code")!.Value);
        Assert.Equal("tag:not_found", error.Element("message_id")!.Value);
    }

    [Fact]
    public async Task Unsupported_method_on_a_resource_answers_in_the_envelope()
    {
        var api = await factory.NewStackClientAsync();
        var response = await api.SendAsync(HttpMethod.Patch, api.Url("tags"));
        response.AssertError(HttpStatusCode.NotFound, 1010404, "request:not_found");
        Assert.Contains("PATCH", response.Error.GetProperty("message").GetString(), StringComparison.Ordinal);
    }
}
