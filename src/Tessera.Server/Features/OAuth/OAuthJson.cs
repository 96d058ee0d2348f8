using System.Text.Json;
using Tessera.Server.Compat;

namespace Tessera.Server.Features.OAuth;

/// <summary>
/// The token endpoint's answers (RFC 6749 §5.1, §5.2): plain JSON objects, never the Stackla envelope,
/// with <c>Cache-Control: no-store</c>.
/// </summary>
public static class OAuthJson
{
    public static IResult Token(GrantResult grant) => new JsonAnswer(StatusCodes.Status200OK, w =>
    {
        w.WriteString("access_token", grant.AccessToken);
        w.WriteString("refresh_token", grant.RefreshToken);
        w.WriteString("token_type", "Bearer");
        w.WriteNumber("expires_in", grant.ExpiresIn);
    });

    /// <summary>An error: 400 by default, 401 for <c>invalid_client</c>.</summary>
    public static IResult Error(string error, string description, int? status = null, bool basicChallenge = false) =>
        new JsonAnswer(status ?? (error == "invalid_client" ? StatusCodes.Status401Unauthorized : StatusCodes.Status400BadRequest), w =>
        {
            w.WriteString("error", error);
            w.WriteString("error_description", description);
        }, basicChallenge);

    /// <summary>A refusal of the API gateway (unreadable body, rate limit) in the token endpoint's format.</summary>
    public static IResult Refusal(ApiError refusal) =>
        Error(refusal.MessageId == "rate_limit:exceeded" ? "rate_limit_exceeded" : "invalid_request", refusal.Message, refusal.Code);

    private sealed class JsonAnswer(int status, Action<Utf8JsonWriter> members, bool basicChallenge = false) : IResult, IStatusCodeHttpResult
    {
        public int? StatusCode => status;

        public async Task ExecuteAsync(HttpContext httpContext)
        {
            using var buffer = new PooledBufferWriter();
            using (var json = new Utf8JsonWriter(buffer))
            {
                json.WriteStartObject();
                members(json);
                json.WriteEndObject();
            }

            var response = httpContext.Response;
            response.StatusCode = status;
            response.ContentType = "application/json; charset=utf-8";
            response.Headers.CacheControl = "no-store";
            response.Headers.Pragma = "no-cache";
            if (basicChallenge)
            {
                response.Headers.WWWAuthenticate = "Basic realm=\"tessera\", charset=\"UTF-8\"";
            }

            response.ContentLength = buffer.WrittenMemory.Length;
            await response.Body.WriteAsync(buffer.WrittenMemory, httpContext.RequestAborted);
        }
    }
}
