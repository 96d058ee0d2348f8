using System.Net;
using Tessera.Tests.Infrastructure;

namespace Tessera.Tests.ModerationViews;

/// <summary>Concurrent updates of one view never lose an acknowledged change: a lost race is a 409.</summary>
[Collection(ApiCollection.Name)]
public sealed class ModerationViewConcurrencyTests(TesseraFactory factory)
{
    [Fact]
    public async Task Columns_shown_at_the_same_time_are_all_kept()
    {
        var api = (await ModerationViewClients.CreateAsync(factory)).Owner;
        var id = await api.CreateViewIdAsync("view_name=Busy");
        string[] columns = ["select_col", "pin_col", "user_col", "name_col", "avatar_col", "content_col", "status_col", "tags_col"];

        var answers = await Task.WhenAll(columns.Select(c => api.PutQueryAsync($"moderationviews/{id}", $"columns_{c}=1")));
        Assert.All(answers, r => Assert.True(r.Status is HttpStatusCode.OK or HttpStatusCode.Conflict, r.Body));
        foreach (var conflict in answers.Where(r => r.Status == HttpStatusCode.Conflict))
        {
            conflict.AssertError(HttpStatusCode.Conflict, 1050409, "moderation_view:concurrent_update");
        }

        // A change refused with 409 is sent again, alone: in the end every column is shown, none lost.
        for (var i = 0; i < columns.Length; i++)
        {
            if (answers[i].Status == HttpStatusCode.Conflict)
            {
                (await api.PutQueryAsync($"moderationviews/{id}", $"columns_{columns[i]}=1")).AssertOk();
            }
        }

        var view = (await api.GetAsync($"moderationviews/{id}")).Data;
        Assert.Equal(columns.Order(), view.TrueKeys("column").Order());
    }
}
