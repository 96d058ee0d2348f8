using System.Security.Cryptography;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Tessera.Server.Data;
using Tessera.Server.Features.Rules;
using Tessera.Server.Features.Tags;
using Tessera.Server.Features.Terms;
using Tessera.Server.Features.Tiles;
using Tessera.Server.Outbound;

namespace Tessera.Server.Features.Collectors;

/// <summary>
/// Polls due RSS/Atom terms: fetches the feed through the guarded outbound client, turns new items into
/// tiles with the term's moderation and tags (an item already in the stack is skipped, so polling again
/// never duplicates), and records the outcome on the term: the next poll time, and on failure the error
/// and an exponential back-off.
/// </summary>
public sealed partial class FeedPoller(
    IServiceScopeFactory scopes, TileWriter writer, RuleBook rules, IHttpClientFactory http, IOptions<CollectorOptions> options,
    IOptions<OutboundOptions> outbound, TimeProvider time, ILogger<FeedPoller> logger)
{
    public const string Network = "rss";

    /// <summary>Polls every term that is due now; returns how many were polled.</summary>
    public async Task<int> PollDueAsync(CancellationToken ct)
    {
        var now = time.GetUtcNow().ToUnixTimeSeconds();
        List<int> due;
        await using (var scope = scopes.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<TesseraDbContext>();
            due = await db.Terms.Where(t => t.Network == Network && t.Active && t.NextPollAt <= now)
                .OrderBy(t => t.NextPollAt).Select(t => t.Id).Take(options.Value.BatchSize).ToListAsync(ct);
        }

        foreach (var termId in due)
        {
            await PollAsync(termId, ct);
        }

        return due.Count;
    }

    /// <summary>
    /// Polls one term now, whether due or not; returns how many tiles it ingested. Whatever goes wrong
    /// is recorded on the term and moves its next poll on, so one term can never hold up the others.
    /// </summary>
    public async Task<int> PollAsync(int termId, CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<TesseraDbContext>();
        var term = await db.Terms.AsNoTracking().FirstOrDefaultAsync(t => t.Id == termId, ct);
        if (term is null)
        {
            return 0;
        }

        try
        {
            var feed = await FetchAsync(term.TermText, ct);
            // A default tag deleted since the term was set is no longer applied.
            var defaultTags = await TagLookup.ExistingAsync(db, term.StackId, term.TagIds, ct);
            var ingested = await IngestAsync(db, term, defaultTags, feed.Items, ct);
            var now = time.GetUtcNow().ToUnixTimeSeconds();
            var next = now + options.Value.PollIntervalSeconds;
            // Bookkeeping only, without the term's Version check: an edit of the term during the poll is kept.
            await db.Terms.Where(t => t.Id == term.Id).ExecuteUpdateAsync(
                s => s.SetProperty(t => t.LastPolledAt, now)
                    .SetProperty(t => t.NextPollAt, next)
                    .SetProperty(t => t.ConsecutiveFailures, 0)
                    .SetProperty(t => t.LastError, (string?)null)
                    .SetProperty(t => t.LastIngestionPost, t => ingested > 0 ? now : t.LastIngestionPost),
                ct);
            LogPolled(logger, term.Id, term.StackId, feed.Items.Count, ingested);
            return ingested;
        }
        catch (Exception e) when (!ct.IsCancellationRequested)
        {
            db.ChangeTracker.Clear();
            await RecordFailureAsync(db, term, e, ct);
            return 0;
        }
    }

    /// <summary>Fetches and parses the feed; the whole fetch, body included, is bounded by the outbound timeout.</summary>
    private async Task<ParsedFeed> FetchAsync(string url, CancellationToken ct)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri))
        {
            throw new FeedFormatException("the term is not an absolute http(s) URL");
        }

        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(ct);
        deadline.CancelAfter(TimeSpan.FromSeconds(outbound.Value.TimeoutSeconds));
        var client = http.CreateClient(OutboundHttp.ClientName);
        try
        {
            using var response = await client.GetAsync(uri, HttpCompletionOption.ResponseHeadersRead, deadline.Token);
            if (!response.IsSuccessStatusCode)
            {
                throw new HttpRequestException($"the feed answered HTTP {(int)response.StatusCode}", null, response.StatusCode);
            }

            var body = await OutboundHttp.ReadBoundedAsync(response, outbound.Value.MaxResponseBytes, deadline.Token);
            return FeedParser.Parse(body);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            throw new TimeoutException($"the feed did not arrive within {outbound.Value.TimeoutSeconds} s");
        }
    }

    /// <summary>Adds the items the stack does not have yet, oldest first, as tiles of the term.</summary>
    private async Task<int> IngestAsync(TesseraDbContext db, Term term, List<int> defaultTags, IReadOnlyList<FeedItem> items, CancellationToken ct)
    {
        var byKey = new Dictionary<string, FeedItem>();
        foreach (var item in items)
        {
            byKey.TryAdd(UniqueId(item.Key), item);
        }

        var keys = byKey.Keys.ToList();
        // A tile posted with the same guid counts as known too (feed tiles use their unique id as guid).
        var known = new HashSet<string>();
        foreach (var tile in await db.Tiles.Where(t => t.StackId == term.StackId && (keys.Contains(t.SourceUniqueId) || keys.Contains(t.Guid)))
            .Select(t => new { t.SourceUniqueId, t.Guid }).ToListAsync(ct))
        {
            known.Add(tile.SourceUniqueId);
            known.Add(tile.Guid);
        }

        var now = time.GetUtcNow();
        var fresh = byKey.Where(p => !known.Contains(p.Key))
            .OrderBy(p => p.Value.PublishedAt ?? now)
            .Select(p => ToTile(term, defaultTags, p.Key, p.Value, now))
            .OfType<Tile>()
            .ToList();
        // The stack's automation rules run on each new tile before it is stored, as for API posts.
        await RuleRunner.RunOnNewTilesAsync(rules, db, term, fresh, [], now, ct);
        // Saved by the same group-commit writer as API posts: in one transaction, falling back to tile
        // by tile when another poll of the same feed won a race or a default tag was deleted meanwhile.
        var outcomes = await Task.WhenAll(fresh.Select(tile => writer.AddAsync(tile, ct)));
        return outcomes.Count(o => o == SaveOutcome.Saved);
    }

    private static Tile? ToTile(Term term, List<int> defaultTags, string uniqueId, FeedItem item, DateTimeOffset now)
    {
        var tile = new Tile
        {
            ObjectId = string.Empty,
            Source = Network,
            SourceId = uniqueId[(Network.Length + 1)..],
            SourceUniqueId = uniqueId,
            Guid = uniqueId,
            // A feed item's HTML is its article, not an embed: media follows its image or video, and only
            // the plain text is kept (the raw HTML is unsanitized and never served).
            Media = TileRules.InferMedia(item.VideoUrl, null, item.ImageUrl),
            Name = Bound(item.Author, 255),
            Title = Bound(item.Title, 1024) ?? string.Empty,
            Message = Bound(item.Message, TileRules.MaxTextLength) ?? string.Empty,
            OriginalUrl = item.Link,
            ImageUrl = item.ImageUrl,
            VideoUrl = item.VideoUrl,
        };
        // A feed date in the future is clamped to now, so it cannot pin an item to the top of "latest".
        var published = item.PublishedAt is { } at && at < now ? at.ToUnixTimeSeconds() : now.ToUnixTimeSeconds();
        return TileIngestion.Prepare(tile, term, defaultTags, null, [], now, published) ? tile : null;
    }

    private async Task RecordFailureAsync(TesseraDbContext db, Term term, Exception error, CancellationToken ct)
    {
        var now = time.GetUtcNow().ToUnixTimeSeconds();
        var failures = term.ConsecutiveFailures + 1;
        var next = now + BackoffSeconds(failures);
        var message = Bound(Describe(error), 500);
        await db.Terms.Where(t => t.Id == term.Id).ExecuteUpdateAsync(
            s => s.SetProperty(t => t.ConsecutiveFailures, failures)
                .SetProperty(t => t.LastPolledAt, now)
                .SetProperty(t => t.LastErrorAt, now)
                .SetProperty(t => t.LastError, message)
                .SetProperty(t => t.NextPollAt, next),
            ct);
        LogFailed(logger, term.Id, term.StackId, failures, next - now, error.Message);
    }

    /// <summary>
    /// What the term reports: network and format problems as they are; a refused address without the
    /// address it resolved to (a stack must not learn the deployment's internal addresses); anything
    /// else as an internal error, its details only in the log.
    /// </summary>
    private static string Describe(Exception error) =>
        OutboundErrors.Describe(error)
        ?? (error is FeedFormatException ? error.Message : "internal error while collecting the feed; see the server log");

    /// <summary>The wait after the n-th failure in a row: the interval doubled per failure, up to the maximum.</summary>
    public long BackoffSeconds(int failures)
    {
        var interval = (long)options.Value.PollIntervalSeconds;
        var factor = 1L << Math.Min(failures, 20);
        return Math.Min(interval * factor, options.Value.MaxBackoffSeconds);
    }

    /// <summary><c>rss:{key}</c>; long keys are hashed so the id fits the index.</summary>
    private static string UniqueId(string key) =>
        key.Length <= 200 ? $"{Network}:{key}" : $"{Network}:sha256:{Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)))}";

    private static string? Bound(string? text, int max) => text is null || text.Length <= max ? text : text[..max];

    [LoggerMessage(Level = LogLevel.Information, Message = "Polled feed term {TermId} of stack {StackId}: {Items} items, {Ingested} new tiles")]
    private static partial void LogPolled(ILogger logger, int termId, int stackId, int items, int ingested);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Feed term {TermId} of stack {StackId} failed ({Failures} in a row); next try in {BackoffSeconds} s: {Error}")]
    private static partial void LogFailed(ILogger logger, int termId, int stackId, int failures, long backoffSeconds, string error);
}
