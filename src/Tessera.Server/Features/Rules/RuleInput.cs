using Tessera.Server.Compat;

namespace Tessera.Server.Features.Rules;

/// <summary>
/// Reads the writable rule fields of a request onto a rule; create and update share it. <c>name</c>,
/// <c>trigger</c> and <c>action</c> are required on create; absent fields keep their value on update.
/// <c>trigger</c> and <c>action</c> are compiled here, so a rule that is stored always runs.
/// </summary>
public static class RuleInput
{
    /// <summary>The largest <c>trigger</c> and <c>action</c>, each, as JSON.</summary>
    public const int MaxJsonBytes = 16 * 1024;

    public const int MaxNameLength = 255;

    /// <summary>Applies the fields; returns the tag ids the actions name when <c>action</c> was sent and is valid, for the caller's tag check.</summary>
    public static IReadOnlyList<int> Apply(FieldReader f, TileRule rule, bool isCreate)
    {
        var name = f.String("name", MaxNameLength);
        if (isCreate || name is not null)
        {
            f.Require("name", name);
        }

        rule.Name = string.IsNullOrEmpty(name) ? rule.Name : name;
        rule.Enabled = f.Bool("enabled") ?? rule.Enabled;
        rule.Type = ReadType(f) ?? rule.Type;
        ReadTrigger(f, rule, isCreate);
        return ReadActions(f, rule, isCreate)?.TagIds.ToList() ?? [];
    }

    private static string? ReadType(FieldReader f)
    {
        var type = f.String("type", 64)?.ToLowerInvariant();
        switch (type)
        {
            case null or "" or "tile":
                return type is null ? null : "tile";
            case "asset":
                f.AddError("type", "asset rules are not supported: Tessera has no asset manager (use tile)", "unsupported_type");
                return null;
            default:
                f.AddError("type", "must be tile");
                return null;
        }
    }

    private static void ReadTrigger(FieldReader f, TileRule rule, bool isCreate)
    {
        if (!f.Has("trigger"))
        {
            if (isCreate)
            {
                f.AddError("trigger", "is required (a query object; {} matches every tile)", "missing_field");
            }

            return;
        }

        if (f.Object("trigger", MaxJsonBytes, bracketLists: true) is not { } trigger)
        {
            return;
        }

        try
        {
            TriggerQuery.Parse(trigger);
            rule.TriggerJson = trigger.ToJsonString();
        }
        catch (RuleInputException e)
        {
            f.AddError("trigger", e.Message, "invalid_trigger");
        }
    }

    private static RuleActions? ReadActions(FieldReader f, TileRule rule, bool isCreate)
    {
        if (!f.Has("action"))
        {
            if (isCreate)
            {
                f.AddError("action", "is required (an array of {type, field, value})", "missing_field");
            }

            return null;
        }

        if (f.Array("action", MaxJsonBytes, bracketLists: true) is not { } action)
        {
            return null;
        }

        if (action.Count == 0)
        {
            f.AddError("action", "needs at least one action {type, field, value}", "invalid_action");
            return null;
        }

        try
        {
            var actions = RuleActions.Parse(action);
            rule.ActionsJson = action.ToJsonString();
            return actions;
        }
        catch (RuleInputException e)
        {
            f.AddError("action", e.Message, "invalid_action");
            return null;
        }
    }
}
