using System.Net;
using Tessera.Tests.Infrastructure;

namespace Tessera.Tests.Compat;

[Collection(ApiCollection.Name)]
public sealed class PaginationTests(TesseraFactory factory)
{
    [Fact]
    public async Task Page_and_limit_select_the_right_slice()
    {
        var api = await factory.NewStackClientAsync();
        for (var i = 1; i <= 30; i++)
        {
            await api.CreateTagAsync($"Tag {i:00}");
        }

        var page3 = await api.GetAsync("tags", "page=3&limit=10");
        page3.AssertOk();
        Assert.Equal(Enumerable.Range(21, 10).Select(i => $"Tag {i:00}"), page3.Data.EnumerateArray().Select(t => t.GetProperty("tag").GetString()!));

        Assert.Equal(25, (await api.GetAsync("tags")).Data.GetArrayLength());
        Assert.Equal(5, (await api.GetAsync("tags", "page=2")).Data.GetArrayLength());
        Assert.Equal(0, (await api.GetAsync("tags", "page=9")).Data.GetArrayLength());
        Assert.Equal(25, (await api.GetAsync("tags", "limit=&page=")).Data.GetArrayLength());
    }

    [Theory]
    [InlineData("limit=0")]
    [InlineData("limit=101")]
    [InlineData("limit=-5")]
    [InlineData("limit=ten")]
    [InlineData("page=0")]
    [InlineData("page=abc")]
    [InlineData("page=100001")]
    [InlineData("page=99999999999999999999")]
    public async Task Out_of_range_paging_is_a_400(string query)
    {
        var api = await factory.NewStackClientAsync();
        var response = await api.GetAsync("tags", query);
        response.AssertError(HttpStatusCode.BadRequest, 1070400);
        Assert.Contains(query.Split('=')[0], response.Error.GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Limit_100_is_allowed()
    {
        var api = await factory.NewStackClientAsync();
        (await api.GetAsync("tags", "limit=100&page=1000")).AssertOk();
    }
}
