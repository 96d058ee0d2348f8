using System.Net;
using Tessera.Tests.Infrastructure;

namespace Tessera.Tests.Widgets;

/// <summary>A token of one stack never sees or changes another stack's widgets, nor points a widget at another stack's filter (decisions §3).</summary>
[Collection(ApiCollection.Name)]
public sealed class WidgetIsolationTests(TesseraFactory factory)
{
    [Fact]
    public async Task Another_stacks_widget_is_not_found_by_any_path()
    {
        var owner = await factory.NewStackClientAsync();
        var intruder = await factory.NewStackClientAsync();
        var w = await owner.CreateWidgetAsync("""{"name":"Private","style":"base_feed"}""", extra: ""","custom_css":".mine{}" """);
        var path = $"widgets/{w.Id()}";

        (await intruder.GetAsync(path)).AssertError(HttpStatusCode.NotFound, 1040404, "widget:not_found");
        (await intruder.PutJsonAsync(path, """{"custom_css":".theirs{}"}""")).AssertError(HttpStatusCode.NotFound, 1040404, "widget:not_found");
        (await intruder.PostJsonAsync($"{path}?action=clone", "[]")).AssertError(HttpStatusCode.NotFound, 1040404, "widget:not_found");
        (await intruder.PostJsonAsync($"{path}?action=derive", $$$"""{"filter_id":{{{intruder.LatestFilterId}}},"style":{"name":"Stolen"}}"""))
            .AssertError(HttpStatusCode.NotFound, 1040404, "widget:not_found");
        (await intruder.DeleteAsync(path)).AssertError(HttpStatusCode.NotFound, 1040404, "widget:not_found");
        Assert.Equal(0, (await intruder.GetAsync("widgets")).Data.GetArrayLength());
        Assert.Equal(0, (await intruder.GetAsync("widgets", "derived=false")).Data.GetArrayLength());

        var after = await owner.GetWidgetAsync(w.Id());
        Assert.Equal(".mine{}", after.GetProperty("custom_css").GetString());
        Assert.Equal(w.GetProperty("updated_at").GetInt64(), after.GetProperty("updated_at").GetInt64());
        Assert.Equal([w.Id()], (await owner.GetAsync("widgets")).Data.EnumerateArray().Select(x => x.Id()));
    }

    [Fact]
    public async Task A_filter_of_another_stack_is_refused_on_create_update_clone_and_derive()
    {
        var owner = await factory.NewStackClientAsync();
        var other = await factory.NewStackClientAsync();
        var foreignFilter = other.LatestFilterId;
        var w = await owner.CreateWidgetAsync("""{"name":"Mine"}""");

        (await owner.PostJsonAsync("widgets", $$$"""{"style":{"name":"Bad"},"filter_id":{{{foreignFilter}}} }""")).AssertFieldError("filter_id", "widget:filter_not_found");
        (await owner.PutJsonAsync($"widgets/{w.Id()}", $$$"""{"filter_id":{{{foreignFilter}}} }""")).AssertFieldError("filter_id", "widget:filter_not_found");
        (await owner.PostJsonAsync($"widgets/{w.Id()}?action=clone", $$$"""{"filter_id":{{{foreignFilter}}} }""")).AssertFieldError("filter_id", "widget:filter_not_found");
        (await owner.PostJsonAsync($"widgets/{w.Id()}?action=derive", $$$"""{"filter_id":"{{{foreignFilter}}}","style":{"name":"D"}}""")).AssertFieldError("filter_id", "widget:filter_not_found");

        Assert.Equal([w.Id()], (await owner.GetAsync("widgets")).Data.EnumerateArray().Select(x => x.Id()));
        Assert.Equal(owner.LatestFilterId, (await owner.GetWidgetAsync(w.Id())).GetProperty("filter_id").GetInt32());
    }

    [Fact]
    public async Task Deleting_a_parent_counts_children_of_its_own_stack_only_and_names_no_foreign_widget()
    {
        var owner = await factory.NewStackClientAsync();
        var other = await factory.NewStackClientAsync();
        var parent = await owner.CreateWidgetAsync("""{"name":"Lonely parent"}""");
        var theirs = await other.CreateWidgetAsync("""{"name":"Theirs"}""");
        (await other.PostJsonAsync($"widgets/{theirs.Id()}?action=derive", "[]")).AssertOk();

        (await owner.DeleteAsync($"widgets/{parent.Id()}")).AssertOk();
    }
}
