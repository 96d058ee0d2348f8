using System.Net;
using System.Text;
using Tessera.Server.Compat;

namespace Tessera.Server.Features.OAuth;

/// <summary>
/// <c>POST /api/oauth2/token</c> (RFC 6749 §3.2, §4.1.3, §6): parameters from the form body or the query
/// string (the PHP SDK sends <c>?access_token=&amp;stack=S</c> and a form; other clients put all five in
/// the query); <c>access_token</c> and <c>stack</c> are ignored. The app authenticates with
/// <c>client_id</c> + <c>client_secret</c> or HTTP Basic. Answers are plain JSON, never the envelope.
/// </summary>
public static class TokenEndpoint
{
    public static async Task<IResult> Token(HttpContext context, ApiParameters parameters, OAuthClients clients, OAuthTokens tokens, CancellationToken ct)
    {
        if (!HttpMethods.IsPost(context.Request.Method))
        {
            context.Response.Headers.Allow = "POST";
            return OAuthJson.Error("invalid_request", "the token endpoint takes POST", StatusCodes.Status405MethodNotAllowed);
        }

        var basic = ReadBasic(context.Request);
        string? clientId;
        string? secret;
        if (basic is { } credentials)
        {
            if (!string.IsNullOrEmpty(parameters.GetText("client_secret")))
            {
                return OAuthJson.Error("invalid_request", "use one client authentication method: HTTP Basic or client_secret, not both");
            }

            var named = parameters.GetText("client_id");
            if (!string.IsNullOrEmpty(named) && named != credentials.Id)
            {
                return OAuthJson.Error("invalid_request", "client_id differs from the HTTP Basic user name");
            }

            (clientId, secret) = credentials;
        }
        else
        {
            clientId = parameters.GetText("client_id");
            secret = parameters.GetText("client_secret");
        }

        var client = await clients.AuthenticateAsync(clientId, secret, ct);
        if (client is null)
        {
            return OAuthJson.Error("invalid_client", string.IsNullOrEmpty(clientId)
                ? "client authentication is required (client_id and client_secret, or HTTP Basic)"
                : "client authentication failed", basicChallenge: basic is not null);
        }

        var grantType = parameters.GetText("grant_type");
        if (string.IsNullOrEmpty(grantType))
        {
            return OAuthJson.Error("invalid_request", "grant_type is required");
        }

        if (!string.IsNullOrEmpty(parameters.GetText("scope")))
        {
            return OAuthJson.Error("invalid_scope", "this server has no scopes: a token acts with its user's rights");
        }

        GrantResult result;
        switch (grantType)
        {
            case "authorization_code":
                var code = parameters.GetText("code");
                if (string.IsNullOrEmpty(code))
                {
                    return OAuthJson.Error("invalid_request", "code is required");
                }

                result = await tokens.RedeemCodeAsync(client, code, parameters.GetText("redirect_uri"), ct);
                break;
            case "refresh_token":
                var refresh = parameters.GetText("refresh_token");
                if (string.IsNullOrEmpty(refresh))
                {
                    return OAuthJson.Error("invalid_request", "refresh_token is required");
                }

                result = await tokens.RefreshAsync(client, refresh, ct);
                break;
            default:
                return OAuthJson.Error("unsupported_grant_type", "grant_type is authorization_code or refresh_token");
        }

        return result.Error is { } error ? OAuthJson.Error(error, result.Description!) : OAuthJson.Token(result);
    }

    /// <summary>
    /// The client id and secret of an <c>Authorization: Basic</c> header (each form-urlencoded before
    /// Base64, RFC 6749 §2.3.1); null without such a header, empty values when it cannot be read.
    /// </summary>
    private static (string Id, string Secret)? ReadBasic(HttpRequest request)
    {
        var header = request.Headers.Authorization.ToString();
        if (!header.StartsWith("Basic ", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        try
        {
            var decoded = Encoding.UTF8.GetString(Convert.FromBase64String(header[6..].Trim()));
            var colon = decoded.IndexOf(':', StringComparison.Ordinal);
            return colon < 0 ? (string.Empty, string.Empty) : (WebUtility.UrlDecode(decoded[..colon]), WebUtility.UrlDecode(decoded[(colon + 1)..]));
        }
        catch (FormatException)
        {
            return (string.Empty, string.Empty);
        }
    }
}
