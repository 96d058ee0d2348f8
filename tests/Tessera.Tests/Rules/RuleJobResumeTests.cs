using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Tessera.Server.Data;
using Tessera.Server.Features.Rules;
using Tessera.Tests.Infrastructure;

namespace Tessera.Tests.Rules;

/// <summary>A job left running by a stopped server goes on from its last committed batch.</summary>
[Collection(ApiCollection.Name)]
public sealed class RuleJobResumeTests(TesseraFactory factory)
{
    [Fact]
    public async Task A_running_job_resumes_after_its_last_seq()
    {
        var api = await factory.NewStackClientAsync();
        var ids = await RuleApi.SeedManyAsync(factory, api.StackId, 9);
        var ruleId = await api.CreateRuleAsync("{}", """[{"type": "$set", "field": "stackla_sentiment_score", "value": -0.25}]""", enabled: false);

        // As a server that stopped after processing the first four tiles would have left it.
        await using (var scope = factory.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<TesseraDbContext>();
            var seqs = await db.Tiles.Where(t => t.StackId == api.StackId).OrderBy(t => t.Seq).Select(t => new { t.Seq, t.ObjectId }).ToListAsync();
            ids = [.. seqs.Select(s => s.ObjectId)];
            db.RuleJobs.Add(new RuleJob
            {
                StackId = api.StackId,
                RuleId = ruleId,
                Status = RuleJobStatus.Running,
                Total = 9,
                Processed = 4,
                Matched = 4,
                Changed = 4,
                LastSeq = seqs[3].Seq,
                CreatedAt = 1,
            });
            await db.SaveChangesAsync();
        }

        factory.Services.GetRequiredService<RuleJobSignal>().Notify();
        var job = await api.WaitForJobAsync(ruleId);
        Assert.Equal("done", job.GetProperty("status").GetString());
        Assert.Equal(9, job.GetProperty("processed").GetInt32());
        Assert.Equal(9, job.GetProperty("changed").GetInt32());
        for (var i = 0; i < ids.Count; i++)
        {
            var score = (await api.GetTileAsync(ids[i])).GetProperty("stackla_sentiment_score");
            Assert.Equal(i < 4 ? System.Text.Json.JsonValueKind.Null : System.Text.Json.JsonValueKind.Number, score.ValueKind);
        }
    }
}
