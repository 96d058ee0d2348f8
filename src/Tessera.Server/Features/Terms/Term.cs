namespace Tessera.Server.Features.Terms;

/// <summary>
/// An aggregation term of a stack: what to collect from which network (reference §2.4), how to moderate
/// what it ingests and which tags to apply. Networks with a collector (<c>sta_feed</c>, <c>rss</c>) ingest;
/// the others are stored and reported as <c>not_connected</c>.
/// </summary>
public sealed class Term
{
    public int Id { get; set; }

    public int StackId { get; set; }

    public required string Name { get; set; }

    public required string DisplayName { get; set; }

    public required string Network { get; set; }

    public required string Type { get; set; }

    /// <summary>The query: hashtag, handle, feed URL… (<c>term</c> on the wire).</summary>
    public string TermText { get; set; } = string.Empty;

    public bool Active { get; set; } = true;

    public string Filter { get; set; } = string.Empty;

    public string ExcludeFilter { get; set; } = string.Empty;

    public string FanFilter { get; set; } = string.Empty;

    public string FanExcludeFilter { get; set; } = string.Empty;

    public string WhitelistHandles { get; set; } = string.Empty;

    public string BlacklistHandles { get; set; } = string.Empty;

    public string SearchExactPhrase { get; set; } = string.Empty;

    public string SourceUserId { get; set; } = string.Empty;

    public int MinimumFollowers { get; set; }

    public int NumOfBackfill { get; set; }

    public string ModerateText { get; set; } = "publish";

    public string ModerateImage { get; set; } = "publish";

    public string ModerateVideo { get; set; } = "publish";

    /// <summary>The boolean switches of reference §2.4 that are set (<c>retweet_enable</c>, <c>include_fan_content</c>…).</summary>
    public List<string> Switches { get; set; } = [];

    /// <summary>Fields only the SDK knows (<c>official</c>, <c>avatar</c>, <c>ecal_id</c>…), kept verbatim as a JSON object.</summary>
    public string ExtraJson { get; set; } = "{}";

    /// <summary>Default tags applied to what the term ingests, in order.</summary>
    public List<int> TagIds { get; set; } = [];

    /// <summary>Optimistic-concurrency token: every update increments it, so of two concurrent updates one gets a 409.</summary>
    public int Version { get; set; }

    public long CreatedAt { get; set; }

    public long ModifiedAt { get; set; }

    /// <summary>When the term last ingested a tile (UNIX seconds, 0 = never).</summary>
    public long LastIngestionPost { get; set; }

    /// <summary>Collector state: when the term is next due (UNIX seconds).</summary>
    public long NextPollAt { get; set; }

    public long LastPolledAt { get; set; }

    public int ConsecutiveFailures { get; set; }

    public string? LastError { get; set; }

    public long LastErrorAt { get; set; }
}
