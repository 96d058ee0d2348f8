using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Tessera.Server.Data;
using Tessera.Server.Features.Tiles;

namespace Tessera.Tests.Infrastructure;

/// <summary>
/// Writes tiles straight into the database, for what the API cannot create (yet): tiles of other
/// networks (as a collector would store them), claimed tiles, scores and votes, chosen source times.
/// Everything the API can do, tests do through the API.
/// </summary>
public static class TileSeeder
{
    /// <summary>Stores one tile and returns its 24-hex id.</summary>
    public static async Task<string> SeedAsync(
        TesseraFactory factory,
        int stackId,
        string source = "twitter",
        string media = "text",
        TileStatus status = TileStatus.Published,
        bool claimed = false,
        double score = 0,
        int votes = 0,
        long? sourceCreatedAt = null,
        params int[] tagIds)
    {
        var now = DateTimeOffset.UtcNow;
        var sourceId = Guid.NewGuid().ToString("N");
        var tile = new Tile
        {
            ObjectId = ObjectIds.New(now),
            StackId = stackId,
            Source = source,
            SourceId = sourceId,
            SourceUniqueId = $"{source}:{sourceId}",
            Guid = sourceId,
            Media = media,
            Message = $"seeded {source} {media}",
            ImageUrl = media == "image" ? "https://cdn.example/seeded.jpg" : null,
            VideoUrl = media == "video" ? "https://cdn.example/seeded.mp4" : null,
            Html = media == "html" ? "<p>seeded</p>" : string.Empty,
            Claimed = claimed,
            Score = score,
            Votes = votes,
            RandomKey = Random.Shared.Next(),
            CreatedAt = now.ToUnixTimeSeconds(),
            UpdatedAt = now.ToUnixTimeSeconds(),
        };
        tile.SetSourceCreatedAt(sourceCreatedAt ?? now.ToUnixTimeSeconds());
        tile.SetStatus(status);
        tile.SetTags(tagIds);

        await using var scope = factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<TesseraDbContext>();
        db.Tiles.Add(tile);
        await db.SaveChangesAsync();
        return tile.ObjectId;
    }

    /// <summary>Changes what the API cannot (registration data, say) of a stored tile and saves it as a feature would.</summary>
    public static async Task EditAsync(TesseraFactory factory, string tileId, Action<Tile> edit)
    {
        await using var scope = factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<TesseraDbContext>();
        var tile = await db.Tiles.Include(t => t.Tags).SingleAsync(t => t.ObjectId == tileId);
        edit(tile);
        tile.Version++;
        await db.SaveChangesAsync();
    }
}
