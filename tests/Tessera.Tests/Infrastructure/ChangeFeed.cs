using System.Text.Json;

namespace Tessera.Tests.Infrastructure;

/// <summary>Reading <c>GET /api/tiles/changes</c> as a client does.</summary>
public static class ChangeFeed
{
    /// <summary>The cursor of the feed's end now.</summary>
    public static async Task<string> CursorAsync(this ApiClient api) =>
        (await api.GetAsync("tiles/changes", "limit=500")).Json.GetProperty("next_cursor").GetString()!;

    /// <summary>
    /// The entries after <paramref name="since"/>, read again until there are at least
    /// <paramref name="count"/> (at most 10 s). On PostgreSQL the feed shows a commit once every
    /// transaction that started before it has ended (so nothing lands behind a cursor); with other
    /// tests writing at the same time that can take a moment.
    /// </summary>
    public static async Task<List<JsonElement>> ReadAtLeastAsync(this ApiClient api, string since, int count)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (true)
        {
            var response = await api.GetAsync("tiles/changes", $"limit=500&since={Uri.EscapeDataString(since)}");
            response.AssertOk();
            var entries = response.Data.EnumerateArray().ToList();
            if (entries.Count >= count || DateTime.UtcNow > deadline)
            {
                return entries;
            }

            await Task.Delay(50);
        }
    }
}
