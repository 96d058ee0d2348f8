using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Tessera.Server.Features.Stacks;

namespace Tessera.Server.Features.Webhooks;

/// <summary>
/// A receiver of a stack's events (<c>/api/webhooks</c>): the URL events of <see cref="Events"/> are
/// POSTed to, signed with <see cref="Secret"/>. After a rotation the previous secret keeps signing,
/// as a second signature, until <see cref="PreviousSecretUntil"/>.
/// </summary>
public sealed class WebhookSubscription
{
    public int Id { get; set; }

    public int StackId { get; set; }

    public required string Url { get; set; }

    /// <summary>The event types sent (<see cref="WebhookEventTypes"/>).</summary>
    public List<string> Events { get; set; } = [];

    public bool Enabled { get; set; } = true;

    /// <summary>The signing key. Kept as is (HMAC needs it), never returned after create or rotation.</summary>
    public required string Secret { get; set; }

    public string? PreviousSecret { get; set; }

    /// <summary>UNIX seconds until which <see cref="PreviousSecret"/> also signs.</summary>
    public long? PreviousSecretUntil { get; set; }

    public int Version { get; set; }

    public long CreatedAt { get; set; }

    public long UpdatedAt { get; set; }
}

public enum DeliveryStatus
{
    /// <summary>Not attempted yet.</summary>
    Pending = 1,

    /// <summary>Answered 2xx.</summary>
    Delivered = 2,

    /// <summary>The last attempt failed; another is scheduled.</summary>
    Failed = 3,

    /// <summary>Failed for longer than the retry window; only a redelivery sends it again.</summary>
    Dead = 4,
}

/// <summary>
/// One event for one subscription: the outbox row. It is written in the transaction of the change
/// that caused the event (WebhookOutbox) and the dispatcher sends it until it is
/// delivered or dead. <see cref="EventId"/> is the same for every subscription of one event.
/// </summary>
public sealed class WebhookDelivery
{
    public long Id { get; set; }

    public int SubscriptionId { get; set; }

    public int StackId { get; set; }

    /// <summary>The event's id (a version-7 UUID): <c>X-Tessera-Event-Id</c>, for receivers to de-duplicate.</summary>
    public required string EventId { get; set; }

    public required string EventType { get; set; }

    /// <summary>The exact body sent (and signed).</summary>
    public required string Payload { get; set; }

    public DeliveryStatus Status { get; set; } = DeliveryStatus.Pending;

    public int Attempts { get; set; }

    /// <summary>UNIX milliseconds when the event was emitted.</summary>
    public long CreatedAtMs { get; set; }

    /// <summary>
    /// UNIX milliseconds from which the retry window counts: the event's time, or the last
    /// redelivery or re-enabling, so a redelivered event gets the whole window again.
    /// </summary>
    public long RetryFromMs { get; set; }

    /// <summary>
    /// UNIX milliseconds of the next attempt; null once delivered or dead. While an attempt runs it is
    /// the end of the claim: a dispatcher that crashed mid-attempt leaves the row due again then.
    /// </summary>
    public long? NextAttemptAtMs { get; set; }

    public long? LastAttemptAtMs { get; set; }

    public int? LastStatusCode { get; set; }

    /// <summary>The last failure, or the start of the last answer's body.</summary>
    public string? LastResponse { get; set; }

    /// <summary>The dispatcher run that holds the row while it sends it.</summary>
    public Guid? ClaimedBy { get; set; }
}

/// <summary>One attempt to send a delivery: the delivery log.</summary>
public sealed class WebhookAttempt
{
    public long Id { get; set; }

    public long DeliveryId { get; set; }

    public int Number { get; set; }

    public long AtMs { get; set; }

    /// <summary>The HTTP status; null when no answer came (timeout, refused connection).</summary>
    public int? StatusCode { get; set; }

    public int LatencyMs { get; set; }

    public bool Succeeded { get; set; }

    /// <summary>The first bytes of the answer, or what went wrong.</summary>
    public string? Response { get; set; }
}

internal sealed class WebhookConfiguration :
    IEntityTypeConfiguration<WebhookSubscription>, IEntityTypeConfiguration<WebhookDelivery>, IEntityTypeConfiguration<WebhookAttempt>
{
    public void Configure(EntityTypeBuilder<WebhookSubscription> subscription)
    {
        subscription.ToTable("webhook_subscriptions");
        subscription.HasIndex(s => s.StackId);
        subscription.HasOne<Stack>().WithMany().HasForeignKey(s => s.StackId).OnDelete(DeleteBehavior.Cascade);
        subscription.Property(s => s.Url).HasMaxLength(WebhookRules.MaxUrlLength);
        subscription.Property(s => s.Secret).HasMaxLength(WebhookRules.MaxSecretLength);
        subscription.Property(s => s.PreviousSecret).HasMaxLength(WebhookRules.MaxSecretLength);
        subscription.Property(s => s.Version).IsConcurrencyToken();
    }

    public void Configure(EntityTypeBuilder<WebhookDelivery> delivery)
    {
        delivery.ToTable("webhook_deliveries");
        delivery.Property(d => d.EventId).HasMaxLength(36);
        delivery.Property(d => d.EventType).HasMaxLength(32);
        delivery.Property(d => d.LastResponse).HasMaxLength(WebhookRules.MaxResponseSnippet);
        delivery.HasIndex(d => new { d.SubscriptionId, d.EventId }).IsUnique();
        delivery.HasIndex(d => new { d.SubscriptionId, d.Id });
        // The dispatcher's scan: due rows in time order (delivered and dead rows have none).
        delivery.HasIndex(d => d.NextAttemptAtMs);
        delivery.HasIndex(d => d.ClaimedBy);
        // No foreign key to the subscription on purpose: a save whose outbox still knew a subscription
        // deleted a moment before must not fail. Deleting a subscription deletes its rows; the
        // dispatcher drops any orphan.
    }

    public void Configure(EntityTypeBuilder<WebhookAttempt> attempt)
    {
        attempt.ToTable("webhook_attempts");
        attempt.HasIndex(a => new { a.DeliveryId, a.Number });
        attempt.Property(a => a.Response).HasMaxLength(WebhookRules.MaxResponseSnippet);
        attempt.HasOne<WebhookDelivery>().WithMany().HasForeignKey(a => a.DeliveryId).OnDelete(DeleteBehavior.Cascade);
    }
}
