namespace Tessera.Server.Compat;

/// <summary>The resource numbers that make up Stackla error codes (decisions §2.4).</summary>
public enum ApiResource
{
    Request = 1,
    Tiles = 2,
    Filters = 3,
    Widgets = 4,
    ModerationViews = 5,
    Users = 6,
    Tags = 7,
    Terms = 8,
    Rules = 9,
    Webhooks = 10,
    ContentApi = 11,
    RateLimit = 12,
}

/// <summary>
/// One error object of the envelope. <c>error_code</c> is "1", the two-digit resource number and
/// the HTTP status as four digits (tag name conflict: 1070409); <c>message_id</c> is
/// <c>{resource}:{reason}</c>.
/// </summary>
public sealed record ApiError(string Message, int Code, int ErrorCode, string MessageId)
{
    public static ApiError Create(ApiResource resource, int status, string reason, string message) =>
        new(message, status, 1_000_000 + ((int)resource * 10_000) + status, $"{Prefix(resource)}:{reason}");

    public static string Prefix(ApiResource resource) => resource switch
    {
        ApiResource.Request => "request",
        ApiResource.Tiles => "tile",
        ApiResource.Filters => "filter",
        ApiResource.Widgets => "widget",
        ApiResource.ModerationViews => "moderation_view",
        ApiResource.Users => "user",
        ApiResource.Tags => "tag",
        ApiResource.Terms => "term",
        ApiResource.Rules => "rule",
        ApiResource.Webhooks => "webhook",
        ApiResource.ContentApi => "content_api",
        ApiResource.RateLimit => "rate_limit",
        _ => "request",
    };
}
