using System.Net;
using Tessera.Tests.Infrastructure;

namespace Tessera.Tests.Widgets;

/// <summary>Concurrent writes to one widget: each is answered 200 or a 4xx envelope, and the widget ends as one acknowledged write left it.</summary>
[Collection(ApiCollection.Name)]
public sealed class WidgetConcurrencyTests(TesseraFactory factory)
{
    [Fact]
    public async Task Concurrent_updates_are_each_applied_whole_or_refused_with_409()
    {
        var api = await factory.NewStackClientAsync();
        var w = await api.CreateWidgetAsync("""{"name":"Contended"}""");
        var answers = await Task.WhenAll(Enumerable.Range(0, 8).Select(i =>
            api.PutJsonAsync($"widgets/{w.Id()}", $$$"""{"style":{"name":"N{{{i}}}","margin":{{{i}}} },"custom_css":".c{{{i}}}{}"}""")));

        Assert.All(answers, r => Assert.True(r.Status is HttpStatusCode.OK or HttpStatusCode.Conflict, r.Body));
        Assert.All(answers.Where(r => r.Status == HttpStatusCode.Conflict), r => r.AssertError(HttpStatusCode.Conflict, 1040409, "widget:concurrent_update"));
        var acknowledged = answers.Where(r => r.Status == HttpStatusCode.OK).Select(r => r.Data.Name()).ToList();
        Assert.NotEmpty(acknowledged);

        var final = await api.GetWidgetAsync(w.Id());
        var name = final.Name();
        Assert.Contains(name, acknowledged);
        Assert.Equal(".c" + name[1..] + "{}", final.GetProperty("custom_css").GetString());
        Assert.Equal(int.Parse(name[1..], System.Globalization.CultureInfo.InvariantCulture), final.Style().GetProperty("margin").GetInt32());
    }

    [Fact]
    public async Task A_delete_racing_updates_never_fails_with_a_500()
    {
        var api = await factory.NewStackClientAsync();
        var w = await api.CreateWidgetAsync("""{"name":"Racing"}""");
        var calls = new List<Task<ApiResponse>> { api.DeleteAsync($"widgets/{w.Id()}") };
        calls.AddRange(Enumerable.Range(0, 4).Select(i => api.PutJsonAsync($"widgets/{w.Id()}", $$$"""{"custom_js":"v{{{i}}}()"}""")));
        var answers = await Task.WhenAll(calls);
        Assert.All(answers, r => Assert.True(r.Status is HttpStatusCode.OK or HttpStatusCode.Conflict or HttpStatusCode.NotFound, r.Body));
    }
}
