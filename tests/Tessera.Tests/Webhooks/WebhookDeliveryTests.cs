using System.Net;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Tessera.Server.Data;
using Tessera.Server.Features.Tiles;
using Tessera.Server.Features.Users;
using Tessera.Tests.ContentApi;
using Tessera.Tests.Infrastructure;
using Tessera.Tests.Rules;

namespace Tessera.Tests.Webhooks;

/// <summary>Events reaching a real local receiver: payloads, signatures, retries, dead letters, redelivery.</summary>
[Collection(WebhookCollection.Name)]
public sealed class WebhookDeliveryTests(WebhookServer server) : IAsyncLifetime
{
    private readonly WebhookReceiver _receiver = new();

    private TesseraFactory Factory => server.Factory;

    public Task InitializeAsync() => _receiver.StartAsync();

    public Task DisposeAsync() => _receiver.CloseAsync();

    [Fact]
    public async Task An_ingested_tile_is_posted_as_json_signed_with_the_subscription_secret()
    {
        var api = await Factory.NewStackClientAsync();
        var tagId = await api.CreateTagAsync("Summer");
        var (_, secret) = await api.SubscribeAsync(_receiver.Url);
        var tile = await api.CreateTileAsync($"message=Hello&name=Ann&tags={tagId}&custom_fields%5Bsku%5D=A1");

        var received = Assert.Single(await _receiver.WaitForAsync(r => r.Count == 1));
        Assert.Equal("application/json; charset=utf-8", received.ContentType);
        Assert.Equal(WebhookApi.Signature(secret, received.Body), received.Signature);
        Assert.Null(received.PreviousSignature);
        Assert.True(Guid.TryParse(received.EventId, out _));
        Assert.Equal("TILE_INGESTED", received.EventType);
        Assert.InRange(long.Parse(received.Timestamp!, System.Globalization.CultureInfo.InvariantCulture), DateTimeOffset.UtcNow.ToUnixTimeSeconds() - 60, DateTimeOffset.UtcNow.ToUnixTimeSeconds() + 5);

        var body = received.Json();
        Assert.Equal("TILE_INGESTED", body.GetProperty("action").GetString());
        Assert.Equal(tile.GetProperty("id").GetString(), body.GetProperty("_id").GetString());
        Assert.Equal(tile.GetProperty("sta_feed_id").GetString(), body.GetProperty("sta_feed_id").GetString());
        Assert.Equal(tile.GetProperty("guid").GetString(), body.GetProperty("guid").GetString());
        Assert.Equal("sta_feed", body.GetProperty("network").GetString());
        Assert.Equal(api.StackId, body.GetProperty("stack_id").GetInt32());
        Assert.Equal("published", body.GetProperty("status").GetString());
        Assert.Equal([api.PostTermId], body.GetProperty("terms").EnumerateArray().Select(t => t.GetInt32()));
        Assert.Equal([WebhookApi.Str(tagId)], body.GetProperty("tags").EnumerateArray().Select(t => t.GetString()));
        Assert.Equal("A1", body.GetProperty("custom_fields").GetProperty("sku").GetString());
        Assert.Equal(JsonValueKind.Object, body.GetProperty("external_data").ValueKind);
        Assert.Equal(tile.GetProperty("created_at").GetInt64(), body.GetProperty("created_time").GetInt64());
        foreach (var common in new[] { "network_id", "network_user_id", "network_user_name", "network_user", "original_post_url", "original_user_url", "sentiment_score" })
        {
            Assert.True(body.TryGetProperty(common, out _), common);
        }
    }

    [Fact]
    public async Task Moderation_through_the_tiles_api_sends_status_and_tag_events_with_the_old_values()
    {
        var api = await Factory.NewStackClientAsync();
        var first = await api.CreateTagAsync("First");
        var second = await api.CreateTagAsync("Second");
        var tileId = (await api.CreateTileAsync($"message=Moderate+me&tags={first}")).GetProperty("id").GetString();
        await api.SubscribeAsync(_receiver.Url, "TILE_STATUS_UPDATE,TILE_TAGS_UPDATE");

        (await api.PutQueryAsync($"tiles/{tileId}", "status=disabled")).AssertOk();
        (await api.PutQueryAsync($"tiles/{tileId}", $"tags={second},{first}")).AssertOk();
        (await api.PutQueryAsync($"tiles/{tileId}", "message=Only+the+text")).AssertOk();

        var received = await _receiver.WaitForAsync(r => r.Count == 2);
        var status = received.Single(r => r.EventType == "TILE_STATUS_UPDATE").Json();
        Assert.Equal("disabled", status.GetProperty("status").GetString());
        Assert.Equal("published", status.GetProperty("old_status").GetString());
        Assert.Equal(tileId, status.GetProperty("_id").GetString());
        Assert.True(status.GetProperty("updated_time").GetInt64() > 0);
        var tags = received.Single(r => r.EventType == "TILE_TAGS_UPDATE").Json();
        Assert.Equal([WebhookApi.Str(second), WebhookApi.Str(first)], tags.GetProperty("tags").EnumerateArray().Select(t => t.GetString()));
        Assert.Equal([WebhookApi.Str(first)], tags.GetProperty("old_tags").EnumerateArray().Select(t => t.GetString()));
        Assert.Equal(JsonValueKind.Object, tags.GetProperty("custom_fields").ValueKind);

        // Editing the text changes neither status nor tags: no third event.
        await Task.Delay(300);
        Assert.Equal(2, _receiver.Received.Count);
    }

    [Fact]
    public async Task One_moderation_action_reaches_the_webhook_the_change_feed_and_the_content_api_alike()
    {
        var api = await Factory.NewStackClientAsync();
        var tileId = (await api.CreateTileAsync("message=Seen+everywhere")).GetProperty("id").GetString()!;
        await api.SubscribeAsync(_receiver.Url, "TILE_STATUS_UPDATE");
        Assert.Equal([tileId], await api.PublicIdsAsync());
        var cursor = await api.CursorAfterAsync(1);

        (await api.PutQueryAsync($"tiles/{tileId}", "status=disabled")).AssertOk();

        Assert.Empty(await api.PublicIdsAsync());
        var change = Assert.Single((await api.ReadChangesAtLeastAsync(cursor, 1)).Entries);
        Assert.Equal("removed", change.GetProperty("change").GetString());
        Assert.Equal(tileId, change.GetProperty("id").GetString());
        var received = Assert.Single(await _receiver.WaitForAsync(r => r.Count == 1));
        Assert.Equal(tileId, received.Json().GetProperty("_id").GetString());
        Assert.Equal("disabled", received.Json().GetProperty("status").GetString());
    }

    [Fact]
    public async Task Automation_rules_run_before_the_ingested_event_and_their_apply_runs_emit_moderation_events()
    {
        var api = await Factory.NewStackClientAsync();
        var sale = await api.CreateTagAsync("Sale");
        await api.CreateRuleAsync("""{"message": {"$regex": "sale"}}""", $$"""[{"type": "$addToSet", "field": "tags", "value": [{{sale}}]}]""");
        await api.SubscribeAsync(_receiver.Url, "TILE_INGESTED,TILE_STATUS_UPDATE");

        await api.CreateTileAsync("message=Big+sale+today");
        var ingested = Assert.Single(await _receiver.WaitForAsync(r => r.Count == 1)).Json();
        Assert.Equal([WebhookApi.Str(sale)], ingested.GetProperty("tags").EnumerateArray().Select(t => t.GetString()));

        var queueAll = await api.CreateRuleAsync("{}", """[{"type": "$set", "field": "status", "value": "queued"}]""", enabled: false);
        Assert.Equal("done", (await api.ApplyAndWaitAsync(queueAll)).GetProperty("status").GetString());
        var status = (await _receiver.WaitForAsync(r => r.Count == 2))[1].Json();
        Assert.Equal("TILE_STATUS_UPDATE", status.GetProperty("action").GetString());
        Assert.Equal("queued", status.GetProperty("status").GetString());
        Assert.Equal("published", status.GetProperty("old_status").GetString());
    }

    [Fact]
    public async Task Votes_claims_and_user_changes_send_their_events()
    {
        var api = await Factory.NewStackClientAsync();
        var tileId = (await api.CreateTileAsync("message=Vote+for+me")).GetProperty("id").GetString()!;
        await api.SubscribeAsync(_receiver.Url, "TILE_VOTES_UPDATE,TILE_CLAIM,USER_UPDATE");

        await using (var scope = Factory.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<TesseraDbContext>();
            var tile = await db.Tiles.SingleAsync(t => t.ObjectId == tileId);
            tile.Votes = 7;
            tile.Claimed = true;
            db.Users.Add(new User { StackId = api.StackId, Username = "moderator2", Email = "mod@example.com", FirstName = "Mo", LastName = "Derator", CreatedAt = 1_700_000_000 });
            await db.SaveChangesAsync();
        }

        var received = await _receiver.WaitForAsync(r => r.Count == 3);
        var votes = received.Single(r => r.EventType == "TILE_VOTES_UPDATE").Json();
        Assert.Equal(7, votes.GetProperty("votes").GetInt32());
        Assert.Equal(tileId, votes.GetProperty("_id").GetString());
        var claim = received.Single(r => r.EventType == "TILE_CLAIM").Json();
        Assert.Equal(7, claim.GetProperty("votes").GetInt32());
        Assert.Equal(JsonValueKind.Object, claim.GetProperty("claimed_data").ValueKind);
        Assert.True(claim.GetProperty("claimed_data").TryGetProperty("claimed_at", out _));
        var user = received.Single(r => r.EventType == "USER_UPDATE").Json();
        Assert.Equal("added", user.GetProperty("type").GetString());
        Assert.Equal("moderator2", user.GetProperty("username").GetString());
        Assert.Equal("Mo", user.GetProperty("name").GetString());
        Assert.Equal("Derator", user.GetProperty("surname").GetString());
        Assert.Equal("mod@example.com", user.GetProperty("email").GetString());
        Assert.Equal(1_700_000_000, user.GetProperty("created").GetInt64());
        Assert.True(user.TryGetProperty("display_timezone", out _));
    }

    [Fact]
    public async Task An_invited_user_is_added_when_they_accept_then_updated_and_removed_with_their_id()
    {
        var api = await Factory.NewStackClientAsync();
        await api.SubscribeAsync(_receiver.Url, "USER_UPDATE");
        var invited = await api.PostFormAsync("users/invite", "email=joiner%40example.com&name=Jo");
        var userId = invited.Data.GetProperty("user").GetProperty("id").GetInt32();
        (await api.PutQueryAsync($"users/{userId}", "surname=Pending")).AssertOk();

        using var form = new FormUrlEncodedContent([new("password", "correct horse battery"), new("password_confirm", "correct horse battery")]);
        var accepted = await Factory.CreateClient().PostAsync(new Uri(invited.Data.GetProperty("invitation_url").GetString()!).AbsolutePath, form);
        Assert.Equal(System.Net.HttpStatusCode.OK, accepted.StatusCode);
        (await api.PutQueryAsync($"users/{userId}", "name=Joan")).AssertOk();
        (await api.DeleteAsync($"users/{userId}")).AssertOk();

        var received = await _receiver.WaitForAsync(r => r.Count == 3);
        var events = received.Select(r => r.Json()).OrderBy(j => j.GetProperty("type").GetString() switch { "added" => 0, "updated" => 1, _ => 2 }).ToList();
        Assert.Equal(["added", "updated", "removed"], events.Select(e => e.GetProperty("type").GetString()));
        Assert.All(events, e => Assert.Equal(userId, e.GetProperty("id").GetInt32()));
        Assert.Equal("Jo", events[0].GetProperty("name").GetString());
        Assert.Equal("Joan", events[1].GetProperty("name").GetString());
    }

    [Fact]
    public async Task A_manual_tile_webhook_sends_a_snapshot_of_the_tile()
    {
        var api = await Factory.NewStackClientAsync();
        var tileId = (await api.CreateTileAsync("message=Snapshot&image_url=https%3A%2F%2Fimg.example%2Fa.jpg")).GetProperty("id").GetString();
        await api.SubscribeAsync(_receiver.Url, "MANUAL_TILE_WEBHOOK");

        var answer = await api.PostFormAsync("webhooks/manual", $"tile_id={tileId}");
        answer.AssertOk();
        Assert.Equal(1, answer.Data.GetProperty("deliveries").GetInt32());

        var received = Assert.Single(await _receiver.WaitForAsync(r => r.Count == 1));
        Assert.Equal(answer.Data.GetProperty("event_id").GetString(), received.EventId);
        var body = received.Json();
        Assert.Equal("MANUAL_TILE_WEBHOOK", body.GetProperty("action").GetString());
        Assert.Equal("Snapshot", body.GetProperty("message").GetString());
        Assert.Equal("https://img.example/a.jpg", body.GetProperty("image_url").GetString());
        (await api.PostFormAsync("webhooks/manual", "tile_id=000000000000000000000000")).AssertError(HttpStatusCode.NotFound, 1020404, "tile:not_found");
    }

    [Fact]
    public async Task Only_subscribed_event_types_of_enabled_subscriptions_are_sent()
    {
        var api = await Factory.NewStackClientAsync();
        var (statusOnly, _) = await api.SubscribeAsync(_receiver.Url, "TILE_STATUS_UPDATE");
        var (disabled, _) = await api.SubscribeAsync(_receiver.Url, "TILE_INGESTED", "&enabled=0");
        await api.CreateTileAsync("message=Nobody+wants+this");

        await Task.Delay(500);
        Assert.Empty(_receiver.Received);
        Assert.Empty(await api.DeliveriesAsync(statusOnly));
        Assert.Empty(await api.DeliveriesAsync(disabled));
    }

    [Fact]
    public async Task The_delivery_log_shows_each_attempt_with_status_latency_and_the_start_of_the_answer()
    {
        var api = await Factory.NewStackClientAsync();
        var (id, _) = await api.SubscribeAsync(_receiver.Url);
        await api.CreateTileAsync("message=Logged");
        var delivery = Assert.Single(await api.WaitForDeliveriesAsync(id, 1, "delivered"));
        Assert.Equal("TILE_INGESTED", delivery.GetProperty("event_type").GetString());
        Assert.Equal(1, delivery.GetProperty("attempts").GetInt32());
        Assert.Equal(200, delivery.GetProperty("last_status_code").GetInt32());
        Assert.Equal(JsonValueKind.Null, delivery.GetProperty("next_attempt_at").ValueKind);
        Assert.True(delivery.GetProperty("last_attempt_at").GetInt64() > 0);

        var eventId = delivery.GetProperty("event_id").GetString();
        var one = (await api.GetAsync($"webhooks/{id}/deliveries/{eventId}")).Data;
        var attempt = Assert.Single(one.GetProperty("attempt_log").EnumerateArray());
        Assert.Equal(1, attempt.GetProperty("number").GetInt32());
        Assert.Equal(200, attempt.GetProperty("status_code").GetInt32());
        Assert.True(attempt.GetProperty("succeeded").GetBoolean());
        Assert.True(attempt.GetProperty("latency_ms").GetInt32() >= 0);
        Assert.Equal("ok 200", attempt.GetProperty("response").GetString());
        Assert.Equal(_receiver.Received[0].Text, one.GetProperty("payload").GetString());
    }

    [Fact]
    public async Task Events_sent_while_the_receiver_is_down_all_arrive_once_it_is_back()
    {
        var api = await Factory.NewStackClientAsync();
        var (id, _) = await api.SubscribeAsync(_receiver.Url);
        await _receiver.StopAsync();
        var tiles = new List<string>();
        for (var i = 0; i < 12; i++)
        {
            tiles.Add((await api.CreateTileAsync($"message=While+down+{i}")).GetProperty("id").GetString()!);
        }

        // Every event failed at least once while nobody listened.
        await api.PollDeliveriesAsync(id, d => d.All(x => x.Attempts() > 0));

        await _receiver.StartAsync();
        var received = await _receiver.WaitForAsync(r => r.Select(x => x.EventId).Distinct().Count() == 12);
        Assert.Equal(tiles.Order(), received.DistinctBy(r => r.EventId).Select(r => r.Json().GetProperty("_id").GetString()!).Order());
        var deliveries = await api.WaitForDeliveriesAsync(id, 12, "delivered");
        Assert.All(deliveries, d => Assert.True(d.GetProperty("attempts").GetInt32() >= 2));
        Assert.Equal(deliveries.Select(d => d.GetProperty("event_id").GetString()).Order(), received.Select(r => r.EventId).Distinct().Order());
    }

    [Fact]
    public async Task A_receiver_that_answers_too_late_is_retried_and_the_timeout_is_logged()
    {
        var api = await Factory.NewStackClientAsync();
        var (id, _) = await api.SubscribeAsync(_receiver.Url);
        _receiver.Delay = TimeSpan.FromSeconds(3);
        await api.CreateTileAsync("message=Slow");

        var failed = Assert.Single(await api.PollDeliveriesAsync(id, d => d.Length == 1 && d[0].Attempts() > 0));

        Assert.Equal("failed", failed.GetProperty("status").GetString());
        Assert.Equal(JsonValueKind.Null, failed.GetProperty("last_status_code").ValueKind);
        Assert.Contains("no answer within 1 s", failed.GetProperty("last_response").GetString());

        _receiver.Delay = TimeSpan.Zero;
        var delivered = Assert.Single(await api.WaitForDeliveriesAsync(id, 1, "delivered"));
        Assert.True(delivered.GetProperty("attempts").GetInt32() >= 2);
    }

    [Fact]
    public async Task A_4xx_answer_makes_the_event_dead_until_it_is_redelivered()
    {
        var api = await Factory.NewStackClientAsync();
        var (id, _) = await api.SubscribeAsync(_receiver.Url);
        _receiver.Status = 401;
        await api.CreateTileAsync("message=Refused+1");
        await api.CreateTileAsync("message=Refused+2");
        var dead = await api.WaitForDeliveriesAsync(id, 2, "dead");
        Assert.All(dead, d => Assert.Equal(1, d.GetProperty("attempts").GetInt32()));
        Assert.All(dead, d => Assert.Equal(401, d.GetProperty("last_status_code").GetInt32()));

        _receiver.Status = 200;
        var first = dead[0].GetProperty("event_id").GetString();
        var again = await api.PostFormAsync($"webhooks/{id}/deliveries/{first}/redeliver", string.Empty);
        again.AssertOk();
        Assert.Equal("pending", again.Data.GetProperty("status").GetString());
        await _receiver.WaitForAsync(r => r.Any(x => x.EventId == first && x.AnsweredWith == 200));

        var all = await api.PostFormAsync($"webhooks/{id}/redeliver-dead", string.Empty);
        all.AssertOk();
        Assert.Equal(1, all.Data.GetProperty("redelivered").GetInt32());
        var delivered = await api.WaitForDeliveriesAsync(id, 2, "delivered");
        Assert.All(delivered, d => Assert.Equal(2, d.GetProperty("attempts").GetInt32()));
        (await api.PostFormAsync($"webhooks/{id}/deliveries/{Guid.NewGuid()}/redeliver", string.Empty))
            .AssertError(HttpStatusCode.NotFound, 1100404, "webhook:delivery_not_found");
    }

    [Fact]
    public async Task After_a_rotation_both_the_new_and_the_previous_secret_sign()
    {
        var api = await Factory.NewStackClientAsync();
        var (id, oldSecret) = await api.SubscribeAsync(_receiver.Url);
        var rotated = await api.PostFormAsync($"webhooks/{id}/rotate-secret", string.Empty);
        rotated.AssertOk();
        var newSecret = rotated.Data.GetProperty("secret").GetString()!;
        Assert.NotEqual(oldSecret, newSecret);
        Assert.True(rotated.Data.GetProperty("previous_secret_expires_at").GetInt64() > DateTimeOffset.UtcNow.ToUnixTimeSeconds() + 3600);

        await api.CreateTileAsync("message=Rotated");
        var received = Assert.Single(await _receiver.WaitForAsync(r => r.Count == 1));
        Assert.Equal(WebhookApi.Signature(newSecret, received.Body), received.Signature);
        Assert.Equal(WebhookApi.Signature(oldSecret, received.Body), received.PreviousSignature);

        // A chosen secret is accepted too; it must be long enough.
        (await api.PostFormAsync($"webhooks/{id}/rotate-secret", "secret=short")).AssertError(HttpStatusCode.BadRequest, 1100400);
        var chosen = await api.PostFormAsync($"webhooks/{id}/rotate-secret", "secret=my-own-secret-of-some-length");
        Assert.Equal("my-own-secret-of-some-length", chosen.Data.GetProperty("secret").GetString());
    }

    [Fact]
    public async Task A_garbled_answer_is_logged_cleanly_and_never_blocks_the_delivery_log()
    {
        var api = await Factory.NewStackClientAsync();
        var (id, _) = await api.SubscribeAsync(_receiver.Url);
        // NUL bytes (which PostgreSQL text refuses) in a 200 answer: delivered, logged without them.
        _receiver.ResponseBody = [(byte)'o', (byte)'k', 0, 1, (byte)'!'];
        await api.CreateTileAsync("message=Nul+answer");
        var delivered = Assert.Single(await api.WaitForDeliveriesAsync(id, 1, "delivered"));
        Assert.Equal("ok\uFFFD\uFFFD!", delivered.GetProperty("last_response").GetString());

        // A body that claims gzip but is not: the attempt fails and is retried, nothing is stuck.
        _receiver.ResponseEncoding = "gzip";
        _receiver.ResponseBody = "not gzip at all"u8.ToArray();
        await api.CreateTileAsync("message=Broken+gzip");
        var broken = (await api.PollDeliveriesAsync(id, d => d.Length == 2 && d[0].Attempts() >= 2))[0];

        Assert.Equal("failed", broken.GetProperty("status").GetString());
        Assert.False(string.IsNullOrEmpty(broken.GetProperty("last_response").GetString()));
        _receiver.ResponseEncoding = null;
        _receiver.ResponseBody = null;
        await api.WaitForDeliveriesAsync(id, 2, "delivered");
    }

    [Fact]
    public async Task Disabling_a_subscription_parks_its_deliveries_and_enabling_sends_them()
    {
        var api = await Factory.NewStackClientAsync();
        var (id, _) = await api.SubscribeAsync(_receiver.Url);
        _receiver.Status = 503;
        await api.CreateTileAsync("message=Parked");
        await api.PollDeliveriesAsync(id, d => d.Length > 0, "status=failed");

        (await api.PutQueryAsync($"webhooks/{id}", "enabled=0")).AssertOk();
        var parked = Assert.Single(await api.DeliveriesAsync(id));
        Assert.Equal(JsonValueKind.Null, parked.GetProperty("next_attempt_at").ValueKind);
        var attempts = parked.GetProperty("attempts").GetInt32();
        await Task.Delay(800);
        Assert.Equal(attempts, Assert.Single(await api.DeliveriesAsync(id)).GetProperty("attempts").GetInt32());

        _receiver.Status = 200;
        (await api.PutQueryAsync($"webhooks/{id}", "enabled=1")).AssertOk();
        await api.WaitForDeliveriesAsync(id, 1, "delivered");
    }

    [Fact]
    public async Task An_event_being_sent_cannot_be_redelivered_at_the_same_time()
    {
        var api = await Factory.NewStackClientAsync();
        var (id, _) = await api.SubscribeAsync(_receiver.Url, extra: string.Empty);
        _receiver.Gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await api.CreateTileAsync("message=In+flight");
        var deliveries = await api.PollDeliveriesAsync(id, d => d.Length > 0);

        // The held attempt times out after 1 s; until then the event is in flight.
        var eventId = deliveries[0].GetProperty("event_id").GetString();
        (await api.PostFormAsync($"webhooks/{id}/deliveries/{eventId}/redeliver", string.Empty))
            .AssertError(HttpStatusCode.Conflict, 1100409, "webhook:delivery_in_flight");
        _receiver.Gate.SetResult();
        await api.WaitForDeliveriesAsync(id, 1, "delivered");
    }

    [Fact]
    public async Task Deleting_a_subscription_deletes_its_deliveries_and_later_posts_still_succeed()
    {
        var api = await Factory.NewStackClientAsync();
        var (id, _) = await api.SubscribeAsync(_receiver.Url);
        _receiver.Status = 503;
        await api.CreateTileAsync("message=Before+delete");
        (await api.DeleteAsync($"webhooks/{id}")).AssertOk();
        await using (var scope = Factory.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<TesseraDbContext>();
            Assert.False(await db.WebhookDeliveries.AnyAsync(d => d.SubscriptionId == id));
        }

        await api.CreateTileAsync("message=After+delete");
    }

    [Fact]
    public async Task A_receiver_on_a_private_address_that_is_not_allow_listed_is_refused()
    {
        var api = await Factory.NewStackClientAsync();
        // Only the literal 127.0.0.1 is allow-listed; localhost resolves to loopback and is refused.
        var (id, _) = await api.SubscribeAsync(_receiver.Url.Replace("127.0.0.1", "localhost", StringComparison.Ordinal));
        await api.CreateTileAsync("message=Nowhere");

        var dead = Assert.Single(await api.WaitForDeliveriesAsync(id, 1, "dead"));
        var reason = dead.GetProperty("last_response").GetString()!;
        Assert.Contains("refused", reason, StringComparison.Ordinal);
        // The address the name resolved to is the deployment's business, not the stack's.
        Assert.DoesNotContain("127.0.0.1", reason, StringComparison.Ordinal);
        Assert.DoesNotContain("::1", reason, StringComparison.Ordinal);
        Assert.Empty(_receiver.Received);
    }

    [Fact]
    public async Task A_rolled_back_change_emits_nothing_and_a_committed_one_emits_once()
    {
        var api = await Factory.NewStackClientAsync();
        var tileId = (await api.CreateTileAsync("message=Transactional")).GetProperty("id").GetString()!;
        var (id, _) = await api.SubscribeAsync(_receiver.Url, "TILE_STATUS_UPDATE");

        await using (var scope = Factory.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<TesseraDbContext>();
            await using var transaction = await db.Database.BeginTransactionAsync();
            var tile = await db.Tiles.Include(t => t.Tags).SingleAsync(t => t.ObjectId == tileId);
            tile.SetStatus(TileStatus.Queued);
            await db.SaveChangesAsync();
            await transaction.RollbackAsync();
        }

        await Task.Delay(300);
        Assert.Empty(await api.DeliveriesAsync(id));
        Assert.Empty(_receiver.Received);

        (await api.PutQueryAsync($"tiles/{tileId}", "status=queued")).AssertOk();
        var received = Assert.Single(await _receiver.WaitForAsync(r => r.Count == 1));
        Assert.Equal("queued", received.Json().GetProperty("status").GetString());
    }

    [Fact]
    public async Task A_receiver_that_hangs_does_not_hold_up_ingestion()
    {
        var api = await Factory.NewStackClientAsync();
        var (id, _) = await api.SubscribeAsync(_receiver.Url);
        _receiver.Gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _receiver.Delay = TimeSpan.Zero;

        // Every post is answered while the receiver holds every delivery it got.
        for (var i = 0; i < 10; i++)
        {
            await api.CreateTileAsync($"message=Fast+{i}");
        }

        Assert.Empty(_receiver.Received);
        _receiver.Gate.SetResult();
        await api.WaitForDeliveriesAsync(id, 10, "delivered");
    }
}
