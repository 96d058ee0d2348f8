using Microsoft.EntityFrameworkCore;
using Tessera.Server.Compat;
using Tessera.Server.Data;

namespace Tessera.Server.Auth;

/// <summary>
/// Finds the caller behind a request's credentials: <c>access_token</c> (query or body),
/// <c>x-access-token</c> header, <c>Authorization: Bearer</c>, or the legacy <c>api_key</c>.
/// </summary>
public sealed class TokenAuthenticator(TesseraDbContext db, TimeProvider time, TokenCache cache)
{
    public static string? FindCredential(HttpRequest request, ApiParameters parameters)
    {
        var fromParameters = NonEmpty(parameters.GetText("access_token")) ?? NonEmpty(parameters.GetText("api_key"));
        if (fromParameters is not null)
        {
            return fromParameters;
        }

        var header = NonEmpty(request.Headers["x-access-token"].ToString());
        if (header is not null)
        {
            return header;
        }

        var authorization = request.Headers.Authorization.ToString();
        return authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ? NonEmpty(authorization[7..]) : null;
    }

    /// <summary>The caller, or null when the token is unknown, revoked or expired, its user is removed or pending, or its app is revoked.</summary>
    public async Task<ApiCaller?> AuthenticateAsync(string credential, CancellationToken ct)
    {
        if (credential.Length > 256)
        {
            return null;
        }

        var hash = Secrets.Hash(credential);
        if (cache.TryGet(hash, out var cached))
        {
            return cached;
        }

        var generation = cache.Generation;
        var now = time.GetUtcNow().ToUnixTimeSeconds();
        var found = await db.AccessTokens.AsNoTracking()
            .Where(t => t.TokenHash == hash && t.RevokedAt == null && (t.ExpiresAt == null || t.ExpiresAt > now) && t.User.RemovedAt == null && t.User.InvitationHash == null
                && (t.OAuthClientId == null || db.OAuthClients.Any(c => c.Id == t.OAuthClientId && c.RevokedAt == null)))
            .Select(t => new { Caller = new ApiCaller(t.Id, t.StackId, t.Stack.Name, t.UserId, t.User.AclGroups, t.Scope, t.OAuthClientId), t.ExpiresAt })
            .SingleOrDefaultAsync(ct);
        if (found is null)
        {
            return null;
        }

        cache.Add(hash, found.Caller, found.ExpiresAt, generation);
        return found.Caller;
    }

    private static string? NonEmpty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
