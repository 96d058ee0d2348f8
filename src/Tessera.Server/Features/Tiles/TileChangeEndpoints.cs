using System.Buffers.Binary;
using System.Buffers.Text;
using Microsoft.EntityFrameworkCore;
using Tessera.Server.Auth;
using Tessera.Server.Compat;
using Tessera.Server.Data;

namespace Tessera.Server.Features.Tiles;

/// <summary>One entry of the change feed: <c>tile</c> is the tile as it is now, null for <c>removed</c>.</summary>
public sealed record TileChangeWire(string Cursor, string Change, string Id, TileWire? Tile);

/// <summary>
/// <c>GET /api/tiles/changes?since=CURSOR&amp;limit=N</c> (preview, decisions §6): what was published,
/// edited while published, or taken out of publication since a cursor, oldest first, from the
/// publication log (<see cref="TileChange"/>). The log is complete and in commit order, so a client
/// that keeps <c>next_cursor</c> sees every change once and never has to re-read whole pages.
/// </summary>
public static class TileChangeEndpoints
{
    public const int DefaultLimit = 100;

    public const int MaxLimit = 500;

    private const ApiResource Resource = ApiResource.Tiles;

    public static void MapTileChanges(this IEndpointRouteBuilder routes) =>
        routes.MapGet("/api/tiles/changes", GetChanges).AsPreviewEndpoint(ApiArea.Tiles, Resource).WithTags("Tiles")
            .WithSummary("Tiles published, edited or removed from publication since a cursor (preview)");

    public static async Task<IResult> GetChanges(ApiCaller caller, ApiParameters parameters, HttpRequest request, TesseraDbContext db, CancellationToken ct)
    {
        var f = new FieldReader(parameters, Resource);
        var limit = Paging.ReadLimit(f, DefaultLimit, MaxLimit);
        var since = f.String("since", 64);
        var (txId, seq) = (0L, 0L);
        if (!string.IsNullOrEmpty(since) && !TryDecode(since, out txId, out seq))
        {
            f.AddError("since", "is not a cursor this feed returned");
        }

        if (f.HasErrors)
        {
            return ApiResults.Invalid(f);
        }

        await db.Database.OpenConnectionAsync(ct);
        var stackId = caller.StackId;
        var changes = db.TileChanges.AsNoTracking()
            .Where(c => c.StackId == stackId && (c.TxId > txId || (c.TxId == txId && c.Seq > seq)));
        if (db is PostgresTesseraDbContext)
        {
            // Only transactions older than every running one: a later commit can never sort before what is returned.
            var horizon = await db.Database.SqlQueryRaw<long>("SELECT pg_snapshot_xmin(pg_current_snapshot())::text::bigint AS \"Value\"").SingleAsync(ct);
            changes = changes.Where(c => c.TxId < horizon);
        }

        var page = await changes.OrderBy(c => c.TxId).ThenBy(c => c.Seq).Take(limit).ToListAsync(ct);
        var wires = await CurrentTilesAsync(db, stackId, page, TileReader.BaseUrl(request), ct);
        var data = page.Select(c => new TileChangeWire(
            Encode(c.TxId, c.Seq),
            c.Kind == TileChangeKind.Upserted ? "upserted" : "removed",
            c.ObjectId,
            c.Kind == TileChangeKind.Upserted ? wires.GetValueOrDefault(c.ObjectId) : null)).ToList();
        var next = page.Count > 0 ? Encode(page[^1].TxId, page[^1].Seq) : Encode(txId, seq);
        return ApiResults.Ok(data, new Dictionary<string, object?> { ["next_cursor"] = next });
    }

    private static async Task<Dictionary<string, TileWire>> CurrentTilesAsync(TesseraDbContext db, int stackId, List<TileChange> page, string baseUrl, CancellationToken ct)
    {
        var ids = page.Where(c => c.Kind == TileChangeKind.Upserted).Select(c => c.ObjectId).Distinct().ToList();
        if (ids.Count == 0)
        {
            return [];
        }

        var tiles = await db.Tiles.AsNoTracking().Where(t => t.StackId == stackId && ids.Contains(t.ObjectId)).ToListAsync(ct);
        var tags = await TileReader.LoadTagsAsync(db, tiles, ct);
        var wires = await TileReader.ToWireAsync(db, stackId, tiles, baseUrl, ct, tags);
        return wires.ToDictionary(w => w.Id);
    }

    /// <summary>An opaque cursor: the log position (transaction, sequence) as 16 URL-safe base64 bytes.</summary>
    private static string Encode(long txId, long seq)
    {
        Span<byte> bytes = stackalloc byte[16];
        BinaryPrimitives.WriteInt64BigEndian(bytes, txId);
        BinaryPrimitives.WriteInt64BigEndian(bytes[8..], seq);
        return Base64Url.EncodeToString(bytes);
    }

    private static bool TryDecode(string cursor, out long txId, out long seq)
    {
        Span<byte> bytes = stackalloc byte[18];
        txId = seq = 0;
        // TryDecodeFromChars throws on characters outside the alphabet; a bad cursor is the client's 400, not a 500.
        if (!Base64Url.IsValid(cursor, out var length) || length != 16 || !Base64Url.TryDecodeFromChars(cursor, bytes, out var written) || written != 16)
        {
            return false;
        }

        txId = BinaryPrimitives.ReadInt64BigEndian(bytes);
        seq = BinaryPrimitives.ReadInt64BigEndian(bytes[8..]);
        return txId >= 0 && seq >= 0;
    }
}
