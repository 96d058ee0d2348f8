namespace Tessera.Server.Features.Collectors;

/// <summary>How the feed collector polls (<c>Tessera:Collectors</c>).</summary>
public sealed class CollectorOptions
{
    public const string Section = "Tessera:Collectors";

    /// <summary>False stops the background worker (terms are still stored).</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>How often a healthy feed is polled.</summary>
    public int PollIntervalSeconds { get; set; } = 900;

    /// <summary>The longest wait after repeated failures (the interval doubles per failure up to this).</summary>
    public int MaxBackoffSeconds { get; set; } = 6 * 3600;

    /// <summary>How often the worker looks for due terms.</summary>
    public int TickSeconds { get; set; } = 5;

    /// <summary>Terms polled per tick at most.</summary>
    public int BatchSize { get; set; } = 20;
}
