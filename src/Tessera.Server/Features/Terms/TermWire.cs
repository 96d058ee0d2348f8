using System.Text.Json;
using System.Text.Json.Serialization;
using Tessera.Server.Features.Tags;

namespace Tessera.Server.Features.Terms;

/// <summary>
/// A term as the API returns it: booleans as 0/1, timestamps in UNIX seconds, <c>tags</c> as full tag
/// objects (the SDK reads <c>tags[0].id</c>), and the SDK-only fields back at the top level as sent.
/// </summary>
public sealed record TermWire(
    int Id,
    int StackId,
    string Name,
    string DisplayName,
    int Active,
    string Type,
    string Network,
    string Term,
    string Filter,
    string ExcludeFilter,
    string FanFilter,
    string FanExcludeFilter,
    string WhitelistHandles,
    string BlacklistHandles,
    string SearchExactPhrase,
    string SourceUserId,
    int MinimumFollowers,
    int NumOfBackfill,
    string ModerateText,
    string ModerateImage,
    string ModerateVideo,
    int RetweetEnable,
    int ReplyEnable,
    int ReplyToEnable,
    int PartialMatch,
    int IncludeFanContent,
    int IncludeHashtagInComments,
    int IncludeOfficialContent,
    IReadOnlyList<TagWire> Tags,
    string IngestionStatus,
    string? LastError,
    long LastErrorAt,
    long Created,
    long Modified,
    long LastIngestionPost)
{
    [JsonExtensionData]
    public Dictionary<string, JsonElement>? SdkOnly { get; init; }

    public static TermWire From(Term t, IReadOnlyDictionary<int, Tag> tags) => new(
        t.Id, t.StackId, t.Name, t.DisplayName, Bit(t.Active), t.Type, t.Network, t.TermText,
        t.Filter, t.ExcludeFilter, t.FanFilter, t.FanExcludeFilter, t.WhitelistHandles, t.BlacklistHandles,
        t.SearchExactPhrase, t.SourceUserId, t.MinimumFollowers, t.NumOfBackfill,
        t.ModerateText, t.ModerateImage, t.ModerateVideo,
        On(t, "retweet_enable"), On(t, "reply_enable"), On(t, "reply_to_enable"), On(t, "partial_match"),
        On(t, "include_fan_content"), On(t, "include_hashtag_in_comments"), On(t, "include_official_content"),
        [.. t.TagIds.Where(tags.ContainsKey).Select(id => TagWire.From(tags[id]))],
        TermRules.IngestionStatus(t), t.LastError, t.LastErrorAt, t.CreatedAt, t.ModifiedAt, t.LastIngestionPost)
    {
        SdkOnly = JsonSerializer.Deserialize<Dictionary<string, JsonElement>>(t.ExtraJson),
    };

    private static int Bit(bool value) => value ? 1 : 0;

    private static int On(Term t, string name) => Bit(t.Switches.Contains(name));
}

/// <summary>The answer of <c>GET /api/terms/user</c>: a network account as this deployment knows it.</summary>
public sealed record TermUserWire(string Id, string Name, string Network, bool Verified, string IngestionStatus);
