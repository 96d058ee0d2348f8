using System.Text.Json.Nodes;
using Tessera.Server.Compat;

namespace Tessera.Server.Features.Terms;

/// <summary>
/// Reads the writable term fields of a request onto a term; create and update share it. <c>network</c>
/// and <c>type</c> are set on create only (a different value on update is an error), and the type must
/// exist for the network. Absent fields keep their value.
/// </summary>
public static class TermInput
{
    public static void Apply(FieldReader f, Term term, bool isCreate)
    {
        var network = f.Enum("network", TermRules.Networks);
        var type = f.Enum("type", TermRules.Types);
        if (isCreate)
        {
            f.Require("network", network);
            f.Require("type", type);
            term.Network = network ?? term.Network;
            term.Type = type ?? term.Type;
        }
        else
        {
            RefuseChange(f, "network", network, term.Network);
            RefuseChange(f, "type", type, term.Type);
        }

        if (network is not null && type is not null && !TermRules.NetworksByType[type].Contains(network))
        {
            f.AddError("type", $"a '{type}' term exists for {string.Join(", ", TermRules.NetworksByType[type])}, not for '{network}'", "invalid_type_for_network");
        }

        term.Name = f.String("name", 255) ?? term.Name;
        term.DisplayName = f.String("display_name", 255) ?? term.DisplayName;
        term.Active = f.Bool("active") ?? term.Active;
        term.TermText = ReadTermText(f, term.Network) ?? term.TermText;
        if ((isCreate && term.Type != "post") || term.Network == "rss")
        {
            f.Require("term", term.TermText);
        }

        if (isCreate && string.IsNullOrEmpty(term.Name))
        {
            var name = term.TermText.Length > 0 ? term.TermText : $"{term.Network} {term.Type}";
            term.Name = name.Length <= 255 ? name : name[..255];
        }

        term.Filter = Csv(f, "filter") ?? term.Filter;
        term.ExcludeFilter = Csv(f, "exclude_filter") ?? term.ExcludeFilter;
        term.FanFilter = Csv(f, "fan_filter") ?? term.FanFilter;
        term.FanExcludeFilter = Csv(f, "fan_exclude_filter") ?? term.FanExcludeFilter;
        term.WhitelistHandles = Csv(f, "whitelist_handles") ?? term.WhitelistHandles;
        term.BlacklistHandles = Csv(f, "blacklist_handles") ?? term.BlacklistHandles;
        term.SearchExactPhrase = f.String("search_exact_phrase", 255) ?? term.SearchExactPhrase;
        term.SourceUserId = f.String("source_user_id", 255) ?? term.SourceUserId;
        term.MinimumFollowers = f.Int("minimum_followers", 0, 100_000_000) ?? term.MinimumFollowers;
        if (isCreate)
        {
            // Backfill is a creation-time choice (reference §2.4: read-only on update); an update ignores it.
            term.NumOfBackfill = f.Int("num_of_backfill", 0, 10_000) ?? term.NumOfBackfill;
        }

        term.ModerateText = f.Enum("moderate_text", TermRules.Moderations) ?? term.ModerateText;
        term.ModerateImage = f.Enum("moderate_image", TermRules.Moderations) ?? term.ModerateImage;
        term.ModerateVideo = f.Enum("moderate_video", TermRules.Moderations) ?? term.ModerateVideo;
        foreach (var name in TermRules.Switches)
        {
            if (f.Bool(name) is { } on)
            {
                term.Switches.Remove(name);
                if (on)
                {
                    term.Switches.Add(name);
                }
            }
        }

        term.ExtraJson = ReadSdkOnlyFields(f, term.ExtraJson);
    }

    private static void RefuseChange(FieldReader f, string field, string? requested, string current)
    {
        if (requested is not null && requested != current)
        {
            f.AddError(field, $"cannot be changed after the term is created (it is '{current}')", "immutable_field");
        }
    }

    /// <summary>The query; for RSS terms, the absolute http(s) URL of the feed.</summary>
    private static string? ReadTermText(FieldReader f, string network) =>
        network == "rss" ? f.Url("term") : f.String("term", 1024);

    private static string? Csv(FieldReader f, string name) =>
        f.StringList(name, 500, 255) is { } items ? string.Join(',', items) : null;

    private static string ReadSdkOnlyFields(FieldReader f, string extraJson)
    {
        var extra = JsonNode.Parse(extraJson)!.AsObject();
        foreach (var name in TermRules.SdkOnlyFields)
        {
            if (f.String(name, 1024) is { } value)
            {
                extra[name] = value;
            }
        }

        return extra.ToJsonString();
    }
}
