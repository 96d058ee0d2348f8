using System.Text.Json;

namespace Tessera.Tests.Infrastructure;

/// <summary>Reading <c>GET /api/tiles/changes</c> as a client does.</summary>
public static class ChangeFeed
{
    /// <summary>
    /// The cursor after the stack's first <paramref name="count"/> entries (at most 500), once they are all
    /// readable: a cursor taken from one read might stop short of them (see <see cref="ReadChangesAtLeastAsync"/>).
    /// </summary>
    public static async Task<string> CursorAfterAsync(this ApiClient api, int count) => (await api.ReadChangesAtLeastAsync(null, count, 500)).Next;

    /// <summary>One read of the entries after <paramref name="since"/> (from the start when null), and the next cursor.</summary>
    public static async Task<(List<JsonElement> Entries, string Next)> ReadChangesAsync(this ApiClient api, string? since, int? limit = null)
    {
        var query = string.Join('&', new[]
        {
            since is null ? null : $"since={Uri.EscapeDataString(since)}",
            limit is null ? null : $"limit={limit}",
        }.Where(p => p is not null));
        var response = await api.GetAsync("tiles/changes", query);
        response.AssertOk();
        return (response.Data.EnumerateArray().ToList(), response.Json.GetProperty("next_cursor").GetString()!);
    }

    /// <summary>
    /// Reads again until at least <paramref name="count"/> entries are there (at most 10 s). On
    /// PostgreSQL the feed shows a commit once every transaction that started before it has ended (so
    /// nothing lands behind a cursor); with other tests writing at the same time that can take a moment.
    /// </summary>
    public static async Task<(List<JsonElement> Entries, string Next)> ReadChangesAtLeastAsync(this ApiClient api, string? since, int count, int? limit = 500)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (true)
        {
            var read = await api.ReadChangesAsync(since, limit);
            if (read.Entries.Count >= count || DateTime.UtcNow > deadline)
            {
                return read;
            }

            await Task.Delay(50);
        }
    }
}
