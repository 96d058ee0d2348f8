using System.Security.Cryptography;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Tessera.Server.Data;
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
    IServiceScopeFactory scopes, IHttpClientFactory http, IOptions<CollectorOptions> options, IOptions<OutboundOptions> outbound,
    TimeProvider time, ILogger<FeedPoller> logger)
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

    /// <summary>Polls one term now, whether due or not; returns how many tiles it ingested.</summary>
    public async Task<int> PollAsync(int termId, CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<TesseraDbContext>();
        var term = await db.Terms.FirstOrDefaultAsync(t => t.Id == termId, ct);
        if (term is null)
        {
            return 0;
        }

        ParsedFeed feed;
        try
        {
            feed = await FetchAsync(term.TermText, ct);
        }
        catch (Exception e) when (e is HttpRequestException or FeedFormatException or TaskCanceledException && !ct.IsCancellationRequested)
        {
            await RecordFailureAsync(db, term, e, ct);
            return 0;
        }

        // A default tag deleted since the term was set is no longer applied.
        var defaultTags = await TagLookup.ExistingAsync(db, term.StackId, term.TagIds, ct);
        var ingested = await IngestAsync(db, term, defaultTags, feed.Items, ct);
        var now = time.GetUtcNow().ToUnixTimeSeconds();
        term.LastPolledAt = now;
        term.NextPollAt = now + options.Value.PollIntervalSeconds;
        term.ConsecutiveFailures = 0;
        term.LastError = null;
        if (ingested > 0)
        {
            term.LastIngestionPost = now;
        }

        await db.SaveChangesAsync(ct);
        LogPolled(logger, term.Id, term.StackId, feed.Items.Count, ingested);
        return ingested;
    }

    private async Task<ParsedFeed> FetchAsync(string url, CancellationToken ct)
    {
        var client = http.CreateClient(OutboundHttp.ClientName);
        using var response = await client.GetAsync(url, HttpCompletionOption.ResponseHeadersRead, ct);
        if (!response.IsSuccessStatusCode)
        {
            throw new HttpRequestException($"the feed answered HTTP {(int)response.StatusCode}", null, response.StatusCode);
        }

        var body = await OutboundHttp.ReadBoundedAsync(response, outbound.Value.MaxResponseBytes, ct);
        return FeedParser.Parse(body);
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
        var known = await db.Tiles.Where(t => t.StackId == term.StackId && keys.Contains(t.SourceUniqueId))
            .Select(t => t.SourceUniqueId).ToListAsync(ct);
        var now = time.GetUtcNow();
        var fresh = byKey.Where(p => !known.Contains(p.Key))
            .OrderBy(p => p.Value.PublishedAt ?? now)
            .Select(p => ToTile(term, defaultTags, p.Key, p.Value, now))
            .OfType<Tile>()
            .ToList();
        if (fresh.Count == 0)
        {
            return 0;
        }

        db.Tiles.AddRange(fresh);
        try
        {
            await db.SaveChangesAsync(ct);
            return fresh.Count;
        }
        catch (DbUpdateException e) when (DbErrors.IsUniqueViolation(e))
        {
            // Another poll of the same feed (a second term, another node) won a race: keep what is new, one by one.
            db.ChangeTracker.Clear();
            db.Attach(term);
            return await IngestOneByOneAsync(db, term, fresh, ct);
        }
    }

    private static async Task<int> IngestOneByOneAsync(TesseraDbContext db, Term term, List<Tile> tiles, CancellationToken ct)
    {
        var added = 0;
        foreach (var tile in tiles)
        {
            if (await db.Tiles.AnyAsync(t => t.StackId == term.StackId && t.SourceUniqueId == tile.SourceUniqueId, ct))
            {
                continue;
            }

            db.Tiles.Add(tile);
            try
            {
                await db.SaveChangesAsync(ct);
                added++;
            }
            catch (DbUpdateException e) when (DbErrors.IsUniqueViolation(e))
            {
                db.Entry(tile).State = EntityState.Detached;
            }
        }

        return added;
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
        term.ConsecutiveFailures++;
        term.LastPolledAt = now;
        term.LastErrorAt = now;
        term.LastError = Bound(error.Message, 500);
        term.NextPollAt = now + BackoffSeconds(term.ConsecutiveFailures);
        await db.SaveChangesAsync(ct);
        LogFailed(logger, term.Id, term.StackId, term.ConsecutiveFailures, term.NextPollAt - now, error.Message);
    }

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
