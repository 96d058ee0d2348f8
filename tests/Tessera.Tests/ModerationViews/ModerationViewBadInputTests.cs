using System.Net;
using System.Text;
using Tessera.Tests.Infrastructure;

namespace Tessera.Tests.ModerationViews;

/// <summary>Bad moderation view inputs are 4xx envelopes naming the field, never a 500 and never a partial write.</summary>
[Collection(ApiCollection.Name)]
public sealed class ModerationViewBadInputTests(TesseraFactory factory)
{
    public static TheoryData<string, string> InvalidForms => new()
    {
        { "view_name", "sort_by=newest" },
        { "view_name", "view_name=" },
        { "view_name", "view_name=+++" },
        { "view_name", $"view_name={new string('v', 256)}" },
        { "view_name", "view_name=a%00b" },
        { "view_name", "view_name%5B0%5D=nested" },
        { "type", "view_name=V&type=admin" },
        { "type", "view_name=V&type=" },
        { "access_type", "view_name=V&access_type=secret" },
        { "access_type", "view_name=V&access_type=" },
        { "sort_by", "view_name=V&sort_by=bogus" },
        { "columns_select_col", "view_name=V&columns_select_col=yes" },
        { "columns_select_col", "view_name=V&columns_select_col=2" },
        { "columns_select_col", "view_name=V&columns_select_col%5B0%5D=1" },
        { "columns_selct_col", "view_name=V&columns_selct_col=1" },
        { "columns_", "view_name=V&columns_=1" },
        { "filter_value_bogus", "view_name=V&filter_value_bogus=1" },
        { "other_colour", "view_name=V&other_colour=red" },
        { "date_range_start", "view_name=V&date_range_start=2024-01-01" },
        { "filter_value_origin", "view_name=V&filter_value_origin=twitter,myspace" },
        { "filter_value_origin", "view_name=V&filter_value_origin%5B0%5D%5Bx%5D=twitter" },
        { "filter_value_media", "view_name=V&filter_value_media%5B0%5D=gif" },
        { "filter_value_tags", "view_name=V&filter_value_tags=abc" },
        { "filter_value_tags", "view_name=V&filter_value_tags=-1" },
        { "filter_value_tags", "view_name=V&filter_value_tags=999999999" },
        { "filter_value_tags", $"view_name=V&filter_value_tags={string.Join(',', Enumerable.Range(1, 101))}" },
        { "filter_value_terms", "view_name=V&filter_value_terms=999999999" },
        { "filter_value_abuse", "view_name=V&filter_value_abuse=2" },
        { "filter_value_filter_by_geolocation", "view_name=V&filter_value_filter_by_geolocation=maybe" },
        { "filter_value_filter_by_claimed", "view_name=V&filter_value_filter_by_claimed=maybe" },
        { "filter_value_content_search", $"view_name=V&filter_value_content_search={new string('s', 256)}" },
        { "filter_value_content_search", "view_name=V&filter_value_content_search=a%01b" },
        { "other_all_content_length", "view_name=V&other_all_content_length=0" },
        { "other_all_content_length", "view_name=V&other_all_content_length=101" },
        { "other_all_content_length", "view_name=V&other_all_content_length=ten" },
        { "other_live_updates", "view_name=V&other_live_updates=on" },
        { "other_display", "view_name=V&other_display=list" },
        { "date_range_from", "view_name=V&date_range_from=yesterday" },
        { "date_range_from", "view_name=V&date_range_from=2024-13-01" },
        { "date_range_from", "view_name=V&date_range_from=03%2F01%2F2024" },
        { "date_range_to", "view_name=V&date_range_to=1709251200" },
        { "date_range_from", "view_name=V&date_range_from=2024-03-02&date_range_to=2024-03-01" },
    };

    [Theory]
    [MemberData(nameof(InvalidForms))]
    public async Task Invalid_views_are_400_naming_the_field_and_nothing_is_written(string field, string form)
    {
        var api = (await ModerationViewClients.CreateAsync(factory)).Owner;
        var response = await api.PostFormAsync("moderationviews", form);
        response.AssertError(HttpStatusCode.BadRequest, 1050400);
        Assert.Contains(response.Errors.EnumerateArray(), e => e.GetProperty("message").GetString()!.StartsWith(field + ":", StringComparison.Ordinal));
        Assert.Empty(await api.ListViewIdsAsync());
    }

    [Theory]
    [InlineData("view_name", "view_name=")]
    [InlineData("access_type", "access_type=everyone")]
    [InlineData("columns_pin_column", "columns_pin_column=1")]
    [InlineData("filter_value_media", "filter_value_media=gif")]
    [InlineData("filter_value_tags", "filter_value_tags=999999999")]
    [InlineData("other_all_content_length", "other_all_content_length=500")]
    [InlineData("date_range_from", "date_range_from=2030-01-01")]
    [InlineData("sort_by", "sort_by=random")]
    public async Task Invalid_updates_are_400_and_change_nothing(string field, string query)
    {
        var api = (await ModerationViewClients.CreateAsync(factory)).Owner;
        var created = await api.CreateViewAsync("view_name=Keep&columns_select_col=1&filter_value_media=image&date_range_to=2025-01-01");
        var id = created.GetProperty("id").GetInt32();

        var response = await api.PutQueryAsync($"moderationviews/{id}", $"{query}&other_display=grid&columns_pin_col=1&filter_value_origin=rss");
        response.AssertError(HttpStatusCode.BadRequest, 1050400);
        Assert.Contains(response.Errors.EnumerateArray(), e => e.GetProperty("message").GetString()!.StartsWith(field + ":", StringComparison.Ordinal));
        Assert.Equal(created.GetRawText(), (await api.GetAsync($"moderationviews/{id}")).Data.GetRawText());
    }

    [Theory]
    [InlineData("""{"view_name": ["a"]}""", "view_name")]
    [InlineData("""{"view_name": "V", "columns_select_col": "maybe"}""", "columns_select_col")]
    [InlineData("""{"view_name": "V", "columns_select_col": {"a": 1}}""", "columns_select_col")]
    [InlineData("""{"view_name": "V", "filter_value_origin": [["twitter"]]}""", "filter_value_origin")]
    [InlineData("""{"view_name": "V", "filter_value_tags": [1.5]}""", "filter_value_tags")]
    [InlineData("""{"view_name": "V", "other_all_content_length": 10.5}""", "other_all_content_length")]
    [InlineData("""{"view_name": "V", "other_all_content_length": 99999999999}""", "other_all_content_length")]
    [InlineData("""{"view_name": "V", "date_range_to": 1709251200}""", "date_range_to")]
    [InlineData("""{"view_name": "V", "COLUMNS_x": 1, "columns_X": 1}""", "columns_X")]
    public async Task Invalid_json_bodies_are_400_naming_the_field(string json, string field)
    {
        var api = (await ModerationViewClients.CreateAsync(factory)).Owner;
        var response = await api.SendAsync(HttpMethod.Post, api.Url("moderationviews"), new StringContent(json, Encoding.UTF8, "application/json"));
        response.AssertError(HttpStatusCode.BadRequest, 1050400);
        Assert.Contains(response.Errors.EnumerateArray(), e => e.GetProperty("message").GetString()!.StartsWith(field + ":", StringComparison.Ordinal));
        Assert.Empty(await api.ListViewIdsAsync());
    }

    [Fact]
    public async Task Every_invalid_field_gets_its_own_error()
    {
        var api = (await ModerationViewClients.CreateAsync(factory)).Owner;
        var response = await api.PostFormAsync("moderationviews", "columns_typo=1&other_display=list&sort_by=x");
        response.AssertError(HttpStatusCode.BadRequest, 1050400);
        var fields = response.Errors.EnumerateArray().Select(e => e.GetProperty("message").GetString()!.Split(':')[0]).Order().ToArray();
        Assert.Equal(["columns_typo", "other_display", "sort_by", "view_name"], fields);
        Assert.Contains(response.Errors.EnumerateArray(), e => e.GetProperty("message_id").GetString() == "moderation_view:unknown_field");
    }

    [Theory]
    [InlineData("limit=0")]
    [InlineData("limit=101")]
    [InlineData("page=0")]
    [InlineData("page=abc")]
    public async Task Bad_paging_is_400(string query)
    {
        var api = (await ModerationViewClients.CreateAsync(factory)).Owner;
        (await api.GetAsync("moderationviews", query)).AssertError(HttpStatusCode.BadRequest, 1050400);
    }

    [Theory]
    [InlineData("moderationviews/999999999")]
    [InlineData("moderationviews/0")]
    [InlineData("moderationviews/-1")]
    public async Task Unknown_ids_are_404_in_the_envelope(string path)
    {
        var api = (await ModerationViewClients.CreateAsync(factory)).Owner;
        (await api.GetAsync(path)).AssertError(HttpStatusCode.NotFound, 1050404, "moderation_view:not_found");
        (await api.PutQueryAsync(path, "view_name=X")).AssertError(HttpStatusCode.NotFound, 1050404, "moderation_view:not_found");
        (await api.DeleteAsync(path)).AssertError(HttpStatusCode.NotFound, 1050404, "moderation_view:not_found");
    }
}
