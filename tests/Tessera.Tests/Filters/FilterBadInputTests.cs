using System.Net;
using Tessera.Tests.Infrastructure;

namespace Tessera.Tests.Filters;

/// <summary>Bad filter inputs are 4xx envelopes, never a 500 and never a partial write.</summary>
[Collection(ApiCollection.Name)]
public sealed class FilterBadInputTests(TesseraFactory factory)
{
    public static TheoryData<string, string> InvalidForms => new()
    {
        { "name", "sort=random" },
        { "name", "name=" },
        { "name", "name=+++" },
        { "name", $"name={new string('n', 256)}" },
        { "sort", "name=F&sort=bogus" },
        { "sort", "name=F&sort=latest" },
        { "networks", "name=F&networks%5B0%5D=myspace" },
        { "networks", "name=F&networks=twitter,myspace" },
        { "networks", "name=F&networks%5B0%5D%5Bx%5D=twitter" },
        { "media", "name=F&media%5B0%5D=gif" },
        { "media", "name=F&media=%5B%22image%22%2C%5B%22nested%22%5D%5D" },
        { "tags", "name=F&tags%5B0%5D=abc" },
        { "tags", "name=F&tags=999999" },
        { "tags", "name=F&tags=-1" },
        { "enabled", "name=F&enabled=3" },
        { "enabled", "name=F&enabled=yes" },
        { "orders", "name=F&orders=-1" },
        { "filter_by_claimed", "name=F&filter_by_claimed=maybe" },
        { "name", "name=a%00b" },
    };

    [Theory]
    [MemberData(nameof(InvalidForms))]
    public async Task Invalid_filters_are_400_naming_the_field_and_nothing_is_written(string field, string form)
    {
        var api = await factory.NewStackClientAsync();
        var response = await api.PostFormAsync("filters", form);
        response.AssertError(HttpStatusCode.BadRequest, 1030400);
        Assert.Contains(response.Errors.EnumerateArray(), e => e.GetProperty("message").GetString()!.StartsWith(field, StringComparison.Ordinal));
        Assert.Equal(1, (await api.GetAsync("filters")).Data.GetArrayLength()); // only "Latest"
    }

    [Theory]
    [InlineData("sort", "sort=bogus")]
    [InlineData("networks", "networks%5B0%5D=myspace")]
    [InlineData("media", "media=gif")]
    [InlineData("tags", "tags=999999")]
    [InlineData("enabled", "enabled=9")]
    public async Task Invalid_updates_are_400_and_change_nothing(string field, string query)
    {
        var api = await factory.NewStackClientAsync();
        var created = (await api.PostFormAsync("filters", "name=Keep&networks=twitter&media=image")).Data;
        var id = created.GetProperty("id").GetInt32();
        var response = await api.PutQueryAsync($"filters/{id}", $"{query}&name=Changed");
        response.AssertError(HttpStatusCode.BadRequest, 1030400);
        Assert.Contains(response.Errors.EnumerateArray(), e => e.GetProperty("message").GetString()!.StartsWith(field, StringComparison.Ordinal));
        Assert.Equal(created.GetRawText(), (await api.GetAsync($"filters/{id}")).Data.GetRawText());
    }

    [Theory]
    [InlineData("limit=0")]
    [InlineData("limit=101")]
    [InlineData("limit=-1")]
    [InlineData("limit=ten")]
    [InlineData("page=0")]
    [InlineData("page=-2")]
    [InlineData("page=abc")]
    [InlineData("page=99999999999999999999")]
    [InlineData("status=bogus")]
    [InlineData("status=deleted")]
    [InlineData("status%5B0%5D=queued")]
    [InlineData("since_id=%00")]
    public async Task Bad_content_parameters_are_400(string query)
    {
        var api = await factory.NewStackClientAsync();
        await api.CreateTileAsync("message=m");
        var response = await api.GetAsync($"filters/{api.LatestFilterId}/content", query);
        response.AssertError(HttpStatusCode.BadRequest, 1030400);
        Assert.Contains(query.Split('=')[0].Split('%')[0], response.Error.GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("status=bogus")]
    [InlineData("aggregated_by=bogus")]
    public async Task Bad_summary_parameters_are_400(string query)
    {
        var api = await factory.NewStackClientAsync();
        (await api.GetAsync($"filters/{api.LatestFilterId}/summaries", query)).AssertError(HttpStatusCode.BadRequest, 1030400);
    }

    [Theory]
    [InlineData("limit=0")]
    [InlineData("limit=101")]
    [InlineData("page=0")]
    public async Task Bad_paging_of_the_filter_list_is_400(string query)
    {
        var api = await factory.NewStackClientAsync();
        (await api.GetAsync("filters", query)).AssertError(HttpStatusCode.BadRequest, 1030400);
    }

    [Fact]
    public async Task Limit_100_is_the_largest_page()
    {
        var api = await factory.NewStackClientAsync();
        (await Task.WhenAll(Enumerable.Range(0, 101).Select(i => api.PostTileAsync($"message=m{i}", api.PostTermId)))).ToList().ForEach(r => r.AssertOk());

        Assert.Equal(100, (await api.ContentIdsAsync(api.LatestFilterId, "limit=100")).Length);
        Assert.Single(await api.ContentIdsAsync(api.LatestFilterId, "limit=100&page=2"));
        (await api.GetAsync($"filters/{api.LatestFilterId}/content", "limit=101")).AssertError(HttpStatusCode.BadRequest, 1030400);
        (await api.GetAsync($"filters/{api.LatestFilterId}/content", "limit=100&page=1000")).AssertOk();
    }

    [Theory]
    [InlineData("filters/0")]
    [InlineData("filters/-1")]
    [InlineData("filters/abc")]
    [InlineData("filters/99999999999")]
    [InlineData("filters/abc/content")]
    [InlineData("filters/0/summaries")]
    public async Task Malformed_filter_ids_are_4xx_envelopes(string path)
    {
        var api = await factory.NewStackClientAsync();
        foreach (var method in new[] { HttpMethod.Get, HttpMethod.Put, HttpMethod.Delete })
        {
            var response = await api.SendAsync(method, api.Url(path, method == HttpMethod.Put ? "name=x" : null));
            Assert.True((int)response.Status is >= 400 and < 500, $"{method} {path}: {(int)response.Status} {response.Body}");
            Assert.True(response.Errors.GetArrayLength() > 0, response.Body);
        }
    }
}
