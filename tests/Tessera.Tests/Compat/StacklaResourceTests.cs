using System.Net;
using System.Text.Json;
using Tessera.Tests.Infrastructure;

namespace Tessera.Tests.Compat;

/// <summary>
/// Every resource of reference §2.1–§2.9 exists: its collection answers a GET with 200 in the envelope for
/// an admin token, and only an unknown id is a 404, in the envelope with the resource's error code.
/// </summary>
[Collection(ApiCollection.Name)]
public sealed class StacklaResourceTests(TesseraFactory factory)
{
    private const string UnknownTileId = "0123456789abcdef01234567";
    private const int UnknownId = 987_654_321;

    /// <summary>The collections of §2.2–§2.9 (tiles have none: §2.1 lists them through a filter's content, see below).</summary>
    public static TheoryData<string> Collections => new()
    {
        "tags",
        "filters",
        "terms",
        "widgets",
        "moderationviews",
        "users",
        "tilerules",
        "tilerules/",
        "webhooks",
    };

    /// <summary>An unknown id of every resource of §2.1–§2.9, with the resource's 404 error code and message id.</summary>
    public static TheoryData<string, int, string> UnknownIds => new()
    {
        { $"tiles/{UnknownTileId}", 1020404, "tile:not_found" },
        { $"tags/{UnknownId}", 1070404, "tag:not_found" },
        { $"filters/{UnknownId}", 1030404, "filter:not_found" },
        { $"filters/{UnknownId}/content", 1030404, "filter:not_found" },
        { $"terms/{UnknownId}", 1080404, "term:not_found" },
        { $"widgets/{UnknownId}", 1040404, "widget:not_found" },
        { $"moderationviews/{UnknownId}", 1050404, "moderation_view:not_found" },
        { $"users/{UnknownId}", 1060404, "user:not_found" },
        { $"tilerules/{UnknownId}", 1090404, "rule:not_found" },
        { $"webhooks/{UnknownId}", 1100404, "webhook:not_found" },
    };

    [Theory]
    [MemberData(nameof(Collections))]
    public async Task Every_collection_answers_a_get_in_the_envelope(string path)
    {
        var api = await factory.NewStackClientAsync();
        var response = await api.GetAsync(path, "limit=25&page=1");
        response.AssertOk();
        Assert.Equal(JsonValueKind.Array, response.Data.ValueKind);
    }

    [Fact]
    public async Task Tiles_are_listed_through_a_filters_content_and_read_by_id()
    {
        var api = await factory.NewStackClientAsync();
        var tile = await api.CreateTileAsync("message=hello");
        var id = tile.GetProperty("id").GetString()!;

        Assert.Equal([id], await api.ContentIdsAsync(api.LatestFilterId));
        var read = await api.GetAsync($"tiles/{id}");
        read.AssertOk();
        Assert.Equal(id, read.Data.GetProperty("id").GetString());
    }

    [Theory]
    [MemberData(nameof(UnknownIds))]
    public async Task An_unknown_id_is_a_404_in_the_envelope_with_the_resources_error_code(string path, int errorCode, string messageId)
    {
        var api = await factory.NewStackClientAsync();
        var response = await api.GetAsync(path);
        response.AssertError(HttpStatusCode.NotFound, errorCode, messageId);
        Assert.Equal("application/json", response.ContentType);
    }
}
