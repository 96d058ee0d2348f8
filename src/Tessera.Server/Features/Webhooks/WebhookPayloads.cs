using System.Globalization;
using System.Text;
using System.Text.Json;
using Tessera.Server.Compat;
using Tessera.Server.Features.Tiles;
using Tessera.Server.Features.Users;

namespace Tessera.Server.Features.Webhooks;

/// <summary>
/// The Stackla webhook bodies (reference §2.9). Every tile event carries the common fields
/// (<c>_id</c>, <c>sta_feed_id</c>, <c>guid</c>, <c>network</c>, <c>network_id</c>,
/// <c>network_user_id</c>, <c>network_user_name</c>, <c>network_user</c>, <c>original_post_url</c>,
/// <c>original_user_url</c>, <c>stack_id</c>, <c>action</c>) and the fields of its type.
/// Timestamps are UNIX seconds; tag ids are strings, term ids numbers, as in Stackla's samples.
/// </summary>
public static class WebhookPayloads
{
    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = WireJson.Encoder };

    public static string TileIngested(Tile tile) => Write(w =>
    {
        Common(w, tile, WebhookEventTypes.TileIngested);
        Moderation(w, tile, tile.TagIds.ToList());
        w.WriteNumber("created_time", tile.CreatedAt);
    });

    public static string TileStatusUpdate(Tile tile, TileStatus oldStatus) => Write(w =>
    {
        Common(w, tile, WebhookEventTypes.TileStatusUpdate);
        Moderation(w, tile, tile.TagIds.ToList());
        w.WriteString("old_status", TileRules.ToWire(oldStatus));
        w.WriteNumber("updated_time", tile.UpdatedAt);
    });

    public static string TileTagsUpdate(Tile tile, IReadOnlyList<int> oldTagIds) => Write(w =>
    {
        Common(w, tile, WebhookEventTypes.TileTagsUpdate);
        TagIds(w, "tags", tile.TagIds.ToList());
        TagIds(w, "old_tags", oldTagIds);
        RawObject(w, "custom_fields", tile.CustomFieldsJson);
        w.WriteNumber("updated_time", tile.UpdatedAt);
    });

    public static string TileVotesUpdate(Tile tile) => Write(w =>
    {
        Common(w, tile, WebhookEventTypes.TileVotesUpdate);
        w.WriteNumber("votes", tile.Votes);
        w.WriteNumber("updated_time", tile.UpdatedAt);
    });

    public static string TileClaim(Tile tile) => Write(w =>
    {
        Common(w, tile, WebhookEventTypes.TileClaim);
        w.WriteNumber("votes", tile.Votes);
        w.WriteStartObject("claimed_data");
        w.WriteString("claimed_at", tile.UpdatedAt.ToString(CultureInfo.InvariantCulture));
        w.WriteNull("claimed_by");
        w.WriteString("message", string.Empty);
        w.WriteStartObject("custom_data");
        w.WriteEndObject();
        w.WriteEndObject();
        w.WriteNumber("updated_time", tile.UpdatedAt);
    });

    /// <summary>A snapshot of the tile, sent on request (<c>POST /api/webhooks/manual</c>).</summary>
    public static string ManualTile(Tile tile) => Write(w =>
    {
        Common(w, tile, WebhookEventTypes.ManualTileWebhook);
        Moderation(w, tile, tile.TagIds.ToList());
        w.WriteString("media", tile.Media);
        w.WriteString("message", tile.Message);
        w.WriteString("name", tile.Name);
        w.WriteString("image_url", tile.ImageUrl);
        w.WriteString("video_url", tile.VideoUrl);
        w.WriteNumber("votes", tile.Votes);
        w.WriteBoolean("claimed", tile.Claimed);
        w.WriteNumber("source_created_at", tile.SourceCreatedAt);
        w.WriteNumber("created_time", tile.CreatedAt);
        w.WriteNumber("updated_time", tile.UpdatedAt);
    });

    /// <summary>A user of the stack was added or changed: <paramref name="type"/> is <c>added</c>, <c>updated</c> or <c>removed</c>.</summary>
    public static string UserUpdate(User user, string type) => Write(w =>
    {
        // A user added in this very save has no id yet (the database assigns it on insert).
        if (user.Id > 0)
        {
            w.WriteNumber("id", user.Id);
        }
        else
        {
            w.WriteNull("id");
        }

        w.WriteString("name", user.FirstName);
        w.WriteString("surname", user.LastName);
        w.WriteString("type", type);
        w.WriteString("username", user.Username);
        w.WriteString("display_timezone", user.DisplayTimezone);
        w.WriteString("email", user.Email);
        w.WriteNumber("created", user.CreatedAt);
        w.WriteNumber("stack_id", user.StackId);
        w.WriteString("action", WebhookEventTypes.UserUpdate);
    });

    private static void Common(Utf8JsonWriter w, Tile tile, string action)
    {
        w.WriteString("_id", tile.ObjectId);
        w.WriteString("sta_feed_id", tile.StaFeedId);
        w.WriteString("guid", tile.Guid);
        w.WriteString("network", tile.Source);
        w.WriteString("network_id", tile.SourceId);
        w.WriteNull("network_user_id");
        w.WriteString("network_user_name", tile.User);
        w.WriteString("network_user", tile.Name);
        w.WriteString("original_post_url", tile.OriginalUrl);
        w.WriteNull("original_user_url");
        w.WriteNumber("stack_id", tile.StackId);
        w.WriteString("action", action);
    }

    /// <summary>The fields of the moderation events: status, terms, tags, sentiment, external data and custom fields.</summary>
    private static void Moderation(Utf8JsonWriter w, Tile tile, IReadOnlyList<int> tagIds)
    {
        w.WriteString("status", TileRules.ToWire(tile.Status));
        w.WriteStartArray("terms");
        if (tile.TermId is { } termId)
        {
            w.WriteNumberValue(termId);
        }

        w.WriteEndArray();
        TagIds(w, "tags", tagIds);
        if (tile.SentimentScore is { } score)
        {
            w.WriteNumber("sentiment_score", score);
        }
        else
        {
            w.WriteNull("sentiment_score");
        }

        RawObject(w, "external_data", tile.ExternalDataJson);
        RawObject(w, "custom_fields", tile.CustomFieldsJson);
    }

    private static void TagIds(Utf8JsonWriter w, string name, IReadOnlyList<int> tagIds)
    {
        w.WriteStartArray(name);
        foreach (var id in tagIds)
        {
            w.WriteStringValue(id.ToString(CultureInfo.InvariantCulture));
        }

        w.WriteEndArray();
    }

    /// <summary>A stored JSON object column, written as is (it was validated when stored).</summary>
    private static void RawObject(Utf8JsonWriter w, string name, string json)
    {
        w.WritePropertyName(name);
        w.WriteRawValue(string.IsNullOrWhiteSpace(json) ? "{}" : json, skipInputValidation: false);
    }

    private static string Write(Action<Utf8JsonWriter> body)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, WriterOptions))
        {
            writer.WriteStartObject();
            body(writer);
            writer.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }
}
