using Tessera.Tests.Infrastructure;

namespace Tessera.Tests.Terms;

/// <summary>Concurrent writes to one term never lose an acknowledged change.</summary>
[Collection(ApiCollection.Name)]
public sealed class TermConcurrencyTests(TesseraFactory factory)
{
    [Fact]
    public async Task Tags_linked_at_the_same_time_are_all_kept()
    {
        var api = await factory.NewStackClientAsync();
        var term = await api.CreateTermAsync("term=x&type=hashtag&network=twitter");
        var tags = new List<int>();
        for (var i = 0; i < 6; i++)
        {
            tags.Add(await api.CreateTagAsync($"T{i}"));
        }

        var answers = await Task.WhenAll(tags.Select(t => api.SendAsync(HttpMethod.Post, api.Url($"terms/{term}/tags/{t}"))));
        var acknowledged = tags.Where((_, i) => answers[i].Status == System.Net.HttpStatusCode.OK).ToList();
        Assert.All(answers, r => Assert.True((int)r.Status is 200 or 409, r.Body));

        // A link refused with 409 is sent again, alone: in the end every tag must be linked, none lost.
        foreach (var tag in tags.Except(acknowledged))
        {
            (await api.SendAsync(HttpMethod.Post, api.Url($"terms/{term}/tags/{tag}"))).AssertOk();
        }

        var linked = (await api.GetAsync($"terms/{term}")).Data.GetProperty("tags").EnumerateArray().Select(t => t.GetProperty("id").GetInt32()).ToList();
        Assert.Equal(tags.Order(), linked.Order());
    }
}
