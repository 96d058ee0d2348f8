namespace Tessera.Server.RateLimiting;

/// <summary><c>Tessera:RateLimit</c>: a fixed window of requests per client (decisions §2.9).</summary>
public sealed class RateLimitOptions
{
    public const string Section = "Tessera:RateLimit";

    /// <summary>Requests per window for Stackla endpoints.</summary>
    public int Requests { get; set; } = 450;

    public int WindowSeconds { get; set; } = 900;

    /// <summary>403 as Stackla and its SDK expect; 429 is the other sensible choice.</summary>
    public int ExceededStatus { get; set; } = StatusCodes.Status403Forbidden;

    /// <summary>Extra requests per window only preview endpoints may use.</summary>
    public int ReservedForPreview { get; set; } = 2;

    /// <summary>False lifts the limit entirely (benchmarks).</summary>
    public bool Enabled { get; set; } = true;
}
