using System.Text.Json.Nodes;

namespace Tessera.Server.Features.Rules;

/// <summary>
/// A rule as the API returns it: <c>trigger</c> as an object and <c>action</c> as an array, as they were
/// sent; <c>enabled</c> as 0/1 (as the body takes it); timestamps in UNIX seconds.
/// </summary>
public sealed record RuleWire(int Id, int StackId, string Name, JsonObject Trigger, JsonArray Action, int Enabled, string Type, long CreatedAt, long UpdatedAt)
{
    public static RuleWire From(TileRule rule) => new(
        rule.Id, rule.StackId, rule.Name,
        JsonNode.Parse(rule.TriggerJson) as JsonObject ?? [],
        JsonNode.Parse(rule.ActionsJson) as JsonArray ?? [],
        rule.Enabled ? 1 : 0, rule.Type, rule.CreatedAt, rule.UpdatedAt);
}

/// <summary>An apply job (<c>/api/tilerules/{id}/apply</c>): its state and progress; <c>error</c> is set when it failed.</summary>
public sealed record RuleJobWire(
    int Id, int RuleId, string Status, int Total, int Processed, int Matched, int Changed, string? Error, long CreatedAt, long? FinishedAt)
{
    public static RuleJobWire From(RuleJob job) => new(
        job.Id, job.RuleId, Name(job.Status), job.Total, job.Processed, job.Matched, job.Changed, job.Error, job.CreatedAt, job.FinishedAt);

    private static string Name(RuleJobStatus status) => status switch
    {
        RuleJobStatus.Running => "running",
        RuleJobStatus.Done => "done",
        RuleJobStatus.Failed => "failed",
        _ => "queued",
    };
}

/// <summary>
/// The answer of <c>POST /api/tilerules/{id}/preview</c>: how many of the stack's tiles the rule matches,
/// how many of those its actions would change, and the ids of the first 50 matches (in storage order).
/// </summary>
public sealed record RulePreviewWire(int Matched, int Changed, IReadOnlyList<string> Tiles);
