namespace Tessera.Server.Features.Webhooks;

/// <summary><c>Tessera:Webhooks</c>: how deliveries are sent and retried.</summary>
public sealed class WebhookOptions
{
    public const string Section = "Tessera:Webhooks";

    /// <summary>False stops the dispatcher (events are still recorded and sent once it runs again).</summary>
    public bool DispatcherEnabled { get; set; } = true;

    /// <summary>The first back-off step; each failure doubles it (decisions §1).</summary>
    public double RetryBaseSeconds { get; set; } = 30;

    /// <summary>The longest wait between two attempts.</summary>
    public double MaxBackoffSeconds { get; set; } = 3600;

    /// <summary>A delivery still failing this long after its event becomes dead.</summary>
    public double RetryWindowHours { get; set; } = 24;

    /// <summary>How long one attempt may take, from connecting to the receiver's answer.</summary>
    public double TimeoutSeconds { get; set; } = 10;

    /// <summary>Attempts sent at the same time.</summary>
    public int Concurrency { get; set; } = 16;

    /// <summary>Deliveries claimed per round of the dispatcher.</summary>
    public int BatchSize { get; set; } = 100;

    /// <summary>How often the dispatcher looks for due deliveries when nothing wakes it (events of other nodes, retries).</summary>
    public double PollSeconds { get; set; } = 1;

    /// <summary>After a wake, how long the dispatcher waits for more commits before it claims (fewer, larger rounds under load); 0 claims at once.</summary>
    public double GatherMilliseconds { get; set; } = 20;

    /// <summary>How long the previous secret keeps signing after a rotation.</summary>
    public double SecretOverlapHours { get; set; } = 24;

    /// <summary>Delivered events are kept this long in the delivery log.</summary>
    public double RetentionDays { get; set; } = 7;

    /// <summary>How long a node trusts its copy of the subscriptions before re-reading them (changes on the same node apply at once).</summary>
    public double SubscriptionRefreshSeconds { get; set; } = 5;

    internal bool IsValid() =>
        RetryBaseSeconds > 0 && MaxBackoffSeconds >= RetryBaseSeconds && RetryWindowHours > 0 && TimeoutSeconds > 0
        && GatherMilliseconds is >= 0 and <= 1000 && Concurrency is > 0 and <= 256 && BatchSize is > 0 and <= 1000 && PollSeconds > 0 && SecretOverlapHours >= 0
        && RetentionDays > 0 && SubscriptionRefreshSeconds > 0;
}
