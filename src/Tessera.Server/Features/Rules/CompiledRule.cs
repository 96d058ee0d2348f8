using System.Text.Json.Nodes;

namespace Tessera.Server.Features.Rules;

/// <summary>A stored rule with its trigger and actions compiled, ready to run on any number of tiles.</summary>
public sealed record CompiledRule(int Id, TriggerQuery Trigger, RuleActions Actions)
{
    /// <summary>Compiles a stored rule; throws <see cref="RuleInputException"/> if its JSON no longer compiles.</summary>
    public static CompiledRule From(TileRule rule) => new(
        rule.Id,
        TriggerQuery.Parse(JsonNode.Parse(rule.TriggerJson) as JsonObject ?? throw new RuleInputException("the stored trigger is not an object")),
        RuleActions.Parse(JsonNode.Parse(rule.ActionsJson) as JsonArray ?? throw new RuleInputException("the stored action list is not an array")));
}
