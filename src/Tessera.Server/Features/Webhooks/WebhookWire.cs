namespace Tessera.Server.Features.Webhooks;

/// <summary>A subscription on the wire (decisions §6). <c>secret</c> appears only on create and rotation.</summary>
public sealed record WebhookWire
{
    public int Id { get; init; }

    public required string Url { get; init; }

    public required IReadOnlyList<string> Events { get; init; }

    public bool Enabled { get; init; }

    /// <summary>The new secret, only in the answer that set it.</summary>
    public string? Secret { get; init; }

    /// <summary>Until when (UNIX seconds) the previous secret also signs, as <c>X-Tessera-Previous-Signature</c>; null outside a rotation.</summary>
    public long? PreviousSecretExpiresAt { get; init; }

    public long CreatedAt { get; init; }

    public long UpdatedAt { get; init; }

    public static WebhookWire From(WebhookSubscription s, long now, string? secret = null) => new()
    {
        Id = s.Id,
        Url = s.Url,
        Events = s.Events,
        Enabled = s.Enabled,
        Secret = secret,
        PreviousSecretExpiresAt = s.PreviousSecret is not null && s.PreviousSecretUntil > now ? s.PreviousSecretUntil : null,
        CreatedAt = s.CreatedAt,
        UpdatedAt = s.UpdatedAt,
    };
}

/// <summary>A delivery in the delivery log; <see cref="AttemptLog"/> and <see cref="Payload"/> only when one delivery is read.</summary>
public sealed record DeliveryWire
{
    public required string EventId { get; init; }

    public required string EventType { get; init; }

    public required string Status { get; init; }

    public int Attempts { get; init; }

    public int? LastStatusCode { get; init; }

    public string? LastResponse { get; init; }

    public long CreatedAt { get; init; }

    public long? LastAttemptAt { get; init; }

    public long? NextAttemptAt { get; init; }

    public IReadOnlyList<AttemptWire>? AttemptLog { get; init; }

    public string? Payload { get; init; }

    public static DeliveryWire From(WebhookDelivery d, IReadOnlyList<WebhookAttempt>? attempts = null) => new()
    {
        EventId = d.EventId,
        EventType = d.EventType,
        Status = StatusName(d.Status),
        Attempts = d.Attempts,
        LastStatusCode = d.LastStatusCode,
        LastResponse = d.LastResponse,
        CreatedAt = d.CreatedAtMs / 1000,
        LastAttemptAt = d.LastAttemptAtMs / 1000,
        // A row being sent right now shows its claim's end; that is when it would be tried again.
        NextAttemptAt = d.NextAttemptAtMs / 1000,
        AttemptLog = attempts?.Select(AttemptWire.From).ToList(),
        Payload = attempts is null ? null : d.Payload,
    };

    public static string StatusName(DeliveryStatus status) => status switch
    {
        DeliveryStatus.Delivered => "delivered",
        DeliveryStatus.Failed => "failed",
        DeliveryStatus.Dead => "dead",
        _ => "pending",
    };
}

/// <summary>One attempt of a delivery: when, the answer's status (null: none came), latency and the start of the answer.</summary>
public sealed record AttemptWire(int Number, long At, int? StatusCode, int LatencyMs, bool Succeeded, string? Response)
{
    public static AttemptWire From(WebhookAttempt a) => new(a.Number, a.AtMs / 1000, a.StatusCode, a.LatencyMs, a.Succeeded, a.Response);
}

/// <summary>The answer of a manual event: the tile and how many subscriptions it was queued for.</summary>
public sealed record ManualEventWire(string TileId, string EventId, int Deliveries);
