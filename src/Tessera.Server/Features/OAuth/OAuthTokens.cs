using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Tessera.Server.Auth;
using Tessera.Server.Data;
using Tessera.Server.Features.Users;

namespace Tessera.Server.Features.OAuth;

/// <summary>The outcome of a grant: a token pair, or an RFC 6749 §5.2 error code with a description.</summary>
public sealed record GrantResult(string? AccessToken, string? RefreshToken, long ExpiresIn, string? Error, string? Description)
{
    public static GrantResult Issued(string accessToken, string refreshToken, long expiresIn) => new(accessToken, refreshToken, expiresIn, null, null);

    public static GrantResult Failed(string error, string description) => new(null, null, 0, error, description);
}

/// <summary>
/// Issues authorization codes and app tokens, and redeems them: codes once (a conditional UPDATE
/// consumes them, so two redemptions cannot both win), refresh tokens once (rotation). A code or a
/// refresh token presented a second time means it leaked: the tokens it led to are revoked (RFC 6749
/// §4.1.2, §10.4; docs/oauth.md).
/// </summary>
public sealed class OAuthTokens(TesseraDbContext db, TimeProvider time, TokenCache cache, IOptions<OAuthOptions> options)
{
    /// <summary>A new single-use code for <paramref name="userId"/>, bound to the app and the redirect URI.</summary>
    public async Task<string> IssueCodeAsync(OAuthClient client, int userId, string redirectUri, CancellationToken ct)
    {
        var code = Secrets.NewValue();
        db.OAuthCodes.Add(new OAuthCode
        {
            CodeHash = Secrets.Hash(code),
            ClientId = client.Id,
            StackId = client.StackId,
            UserId = userId,
            RedirectUri = redirectUri,
            ExpiresAt = Now() + options.Value.CodeSeconds,
        });
        await db.SaveChangesAsync(ct);
        return code;
    }

    /// <summary>
    /// <c>grant_type=authorization_code</c>. <paramref name="redirectUri"/>, when given, must be the one the code
    /// was issued for; when absent the code is still bound to the app's single registered URI.
    /// </summary>
    public async Task<GrantResult> RedeemCodeAsync(OAuthClient client, string code, string? redirectUri, CancellationToken ct)
    {
        var hash = Secrets.Hash(code);
        var row = code.Length > 256 ? null : await db.OAuthCodes.AsNoTracking().SingleOrDefaultAsync(c => c.CodeHash == hash, ct);
        if (row is null || row.ClientId != client.Id)
        {
            return GrantResult.Failed("invalid_grant", "the authorization code is not valid");
        }

        var now = Now();
        if (row.UsedAt is not null)
        {
            await RevokeIssuedFromAsync(row, now, ct);
            return GrantResult.Failed("invalid_grant", "the authorization code was already used; the tokens issued for it are revoked");
        }

        if (row.ExpiresAt <= now)
        {
            return GrantResult.Failed("invalid_grant", "the authorization code has expired");
        }

        if (!string.IsNullOrEmpty(redirectUri) && !string.Equals(redirectUri, row.RedirectUri, StringComparison.Ordinal))
        {
            return GrantResult.Failed("invalid_grant", "redirect_uri does not match the one the code was issued for");
        }

        if (!await IsActiveUserAsync(row.UserId, ct))
        {
            return GrantResult.Failed("invalid_grant", "the user who granted access no longer exists");
        }

        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var consumed = await db.OAuthCodes.Where(c => c.Id == row.Id && c.UsedAt == null)
            .ExecuteUpdateAsync(s => s.SetProperty(c => c.UsedAt, now), ct);
        if (consumed == 0)
        {
            await transaction.RollbackAsync(ct);
            await RevokeIssuedFromAsync(row, now, ct);
            return GrantResult.Failed("invalid_grant", "the authorization code was already used; the tokens issued for it are revoked");
        }

        var result = Issue(row.StackId, row.UserId, client.Id, TokenScope.ReadWrite, now);
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        return result;
    }

    /// <summary><c>grant_type=refresh_token</c>: the old pair is revoked and a new pair issued (rotation).</summary>
    public async Task<GrantResult> RefreshAsync(OAuthClient client, string refreshToken, CancellationToken ct)
    {
        var hash = Secrets.Hash(refreshToken);
        var row = refreshToken.Length > 256 ? null : await db.AccessTokens.AsNoTracking().SingleOrDefaultAsync(t => t.RefreshTokenHash == hash, ct);
        if (row is null || row.OAuthClientId != client.Id)
        {
            return GrantResult.Failed("invalid_grant", "the refresh token is not valid");
        }

        var now = Now();
        if (row.RevokedAt is not null)
        {
            await RevokeAllAsync(client.Id, row.UserId, now, ct);
            return GrantResult.Failed("invalid_grant", "the refresh token was already used or revoked; the app's tokens for this user are revoked");
        }

        if (row.RefreshExpiresAt <= now)
        {
            return GrantResult.Failed("invalid_grant", "the refresh token has expired");
        }

        if (!await IsActiveUserAsync(row.UserId, ct))
        {
            return GrantResult.Failed("invalid_grant", "the user who granted access no longer exists");
        }

        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var rotated = await db.AccessTokens.Where(t => t.Id == row.Id && t.RevokedAt == null)
            .ExecuteUpdateAsync(s => s.SetProperty(t => t.RevokedAt, now), ct);
        if (rotated == 0)
        {
            await transaction.RollbackAsync(ct);
            await RevokeAllAsync(client.Id, row.UserId, now, ct);
            return GrantResult.Failed("invalid_grant", "the refresh token was already used or revoked; the app's tokens for this user are revoked");
        }

        var result = Issue(row.StackId, row.UserId, client.Id, row.Scope, now);
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        cache.Invalidate();
        return result;
    }

    private GrantResult Issue(int stackId, int userId, int clientId, TokenScope scope, long now)
    {
        var (token, plain) = AccessToken.Issue(stackId, userId, scope, now);
        var refresh = Secrets.NewValue();
        var lifetime = options.Value.AccessTokenDays * 86_400L;
        token.OAuthClientId = clientId;
        token.ExpiresAt = now + lifetime;
        token.RefreshTokenHash = Secrets.Hash(refresh);
        token.RefreshExpiresAt = now + (options.Value.RefreshTokenDays * 86_400L);
        db.AccessTokens.Add(token);
        return GrantResult.Issued(plain, refresh, lifetime);
    }

    /// <summary>Neither removed nor pending: a removed user who was invited again has not accepted yet.</summary>
    private Task<bool> IsActiveUserAsync(int userId, CancellationToken ct) =>
        db.Users.Active().AnyAsync(u => u.Id == userId, ct);

    /// <summary>
    /// A code came back a second time: revoke what it was exchanged for. Tokens carry no code id, so this
    /// revokes the app's tokens for that user issued since the code was created (refreshed ones included).
    /// </summary>
    private async Task RevokeIssuedFromAsync(OAuthCode code, long now, CancellationToken ct)
    {
        var createdAt = code.ExpiresAt - options.Value.CodeSeconds;
        await db.AccessTokens.Where(t => t.OAuthClientId == code.ClientId && t.UserId == code.UserId && t.CreatedAt >= createdAt && t.RevokedAt == null)
            .ExecuteUpdateAsync(s => s.SetProperty(t => t.RevokedAt, now), ct);
        cache.Invalidate();
    }

    /// <summary>A rotated refresh token came back: every token of the app for that user is revoked.</summary>
    private async Task RevokeAllAsync(int clientId, int userId, long now, CancellationToken ct)
    {
        await db.AccessTokens.Where(t => t.OAuthClientId == clientId && t.UserId == userId && t.RevokedAt == null)
            .ExecuteUpdateAsync(s => s.SetProperty(t => t.RevokedAt, now), ct);
        cache.Invalidate();
    }

    private long Now() => time.GetUtcNow().ToUnixTimeSeconds();
}
