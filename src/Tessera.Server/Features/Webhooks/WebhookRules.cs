namespace Tessera.Server.Features.Webhooks;

/// <summary>The event types and bounds of webhooks (reference §2.9, decisions §6).</summary>
public static class WebhookRules
{
    public const int MaxUrlLength = 2048;
    public const int MaxSecretLength = 128;
    public const int MinSecretLength = 16;
    public const int MaxSubscriptionsPerStack = 50;

    /// <summary>How much of a receiver's answer the delivery log keeps.</summary>
    public const int MaxResponseSnippet = 512;
}

/// <summary>The Stackla event types (the payload's <c>action</c>).</summary>
public static class WebhookEventTypes
{
    public const string TileIngested = "TILE_INGESTED";
    public const string TileStatusUpdate = "TILE_STATUS_UPDATE";
    public const string TileTagsUpdate = "TILE_TAGS_UPDATE";
    public const string TileClaim = "TILE_CLAIM";
    public const string TileVotesUpdate = "TILE_VOTES_UPDATE";
    public const string TileLikeDislike = "TILE_LIKE_DISLIKE";
    public const string UserUpdate = "USER_UPDATE";
    public const string ManualTileWebhook = "MANUAL_TILE_WEBHOOK";

    public static readonly IReadOnlyList<string> All =
        [TileIngested, TileStatusUpdate, TileTagsUpdate, TileClaim, TileVotesUpdate, TileLikeDislike, UserUpdate, ManualTileWebhook];
}
