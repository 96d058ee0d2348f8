using System.Net;
using Tessera.Tests.Infrastructure;

namespace Tessera.Tests.Terms;

/// <summary>Bad term inputs are 4xx envelopes, never a 500 and never a partial write.</summary>
[Collection(ApiCollection.Name)]
public sealed class TermBadInputTests(TesseraFactory factory)
{
    private const string Valid = "term=x&type=hashtag&network=twitter";

    public static TheoryData<string, string> InvalidForms => new()
    {
        { "name", $"{Valid}&name={new string('n', 256)}" },
        { "term", $"term={new string('t', 1025)}&type=hashtag&network=twitter" },
        { "active", $"{Valid}&active=maybe" },
        { "minimum_followers", $"{Valid}&minimum_followers=-1" },
        { "minimum_followers", $"{Valid}&minimum_followers=lots" },
        { "num_of_backfill", $"{Valid}&num_of_backfill=99999999" },
        { "moderate_image", $"{Valid}&moderate_image=" + "publish%00" },
        { "retweet_enable", $"{Valid}&retweet_enable=2" },
        { "tags", $"{Valid}&tags=abc" },
        { "tags", $"{Valid}&tags=-3" },
        { "tags", $"{Valid}&tags%5B0%5D%5Bid%5D=1" },
        { "filter", $"{Valid}&filter%5B0%5D%5Ba%5D=1" },
        { "name", $"{Valid}&name=a%07b" },
    };

    [Theory]
    [MemberData(nameof(InvalidForms))]
    public async Task Invalid_term_fields_are_400_naming_the_field(string field, string form)
    {
        var api = await factory.NewStackClientAsync();
        var response = await api.PostFormAsync("terms", form);
        response.AssertError(HttpStatusCode.BadRequest, 1080400);
        Assert.Contains(response.Errors.EnumerateArray(), e => e.GetProperty("message").GetString()!.StartsWith(field, StringComparison.Ordinal));
        Assert.Equal(1, (await api.GetAsync("terms")).Data.GetArrayLength());
    }

    [Theory]
    [InlineData("limit=0")]
    [InlineData("limit=101")]
    [InlineData("page=0")]
    [InlineData("page=x")]
    public async Task Bad_paging_of_the_term_list_is_400(string query)
    {
        var api = await factory.NewStackClientAsync();
        (await api.GetAsync("terms", query)).AssertError(HttpStatusCode.BadRequest, 1080400);
    }

    [Theory]
    [InlineData("terms/0")]
    [InlineData("terms/-1")]
    [InlineData("terms/abc")]
    [InlineData("terms/99999999999")]
    [InlineData("terms/1.5")]
    public async Task Malformed_term_ids_are_4xx_envelopes(string path)
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
