using Microsoft.EntityFrameworkCore;
using Tessera.Server.Data;
using Tessera.Server.Features.Tiles;

namespace Tessera.Server.Features.Rules;

/// <summary>Reads a stack's stored tiles in storage (<c>Seq</c>) order, a batch at a time, with their tags: what preview and apply walk.</summary>
public static class RuleTiles
{
    public static Task<List<Tile>> NextBatchAsync(TesseraDbContext db, int stackId, long afterSeq, int size, bool tracked, CancellationToken ct) =>
        (tracked ? db.Tiles : db.Tiles.AsNoTracking())
            .Include(t => t.Tags)
            .Where(t => t.StackId == stackId && t.Seq > afterSeq)
            .OrderBy(t => t.Seq)
            .Take(size)
            .ToListAsync(ct);
}
