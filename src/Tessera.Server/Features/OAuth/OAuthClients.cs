using System.Security.Cryptography;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Tessera.Server.Auth;
using Tessera.Server.Data;

namespace Tessera.Server.Features.OAuth;

/// <summary>What <c>tessera oauth-client create --json</c> prints; the secret is shown only here.</summary>
public sealed record OAuthClientCreated(string Stack, string ClientId, string ClientSecret, string RedirectUri, string Name);

/// <summary>An app as <c>tessera oauth-client list</c> prints it (never its secret).</summary>
public sealed record OAuthClientListed(string ClientId, string Name, string RedirectUri, long CreatedAt, long? RevokedAt, int ActiveTokens);

/// <summary>Registers, lists and revokes third-party apps on a stack, and checks their credentials.</summary>
public sealed class OAuthClients(TesseraDbContext db, TimeProvider time)
{
    public const int MaxRedirectUriLength = 2048;
    public const int MaxNameLength = 255;

    /// <summary>Registers an app: a random public id and a 256-bit secret, stored as its SHA-256.</summary>
    public async Task<OAuthClientCreated> CreateAsync(string stackName, string redirectUri, string? name, CancellationToken ct)
    {
        if (RedirectUriProblem(redirectUri) is { } problem)
        {
            throw new ArgumentException($"--redirect-uri: {problem}");
        }

        name = string.IsNullOrWhiteSpace(name) ? new Uri(redirectUri).Host : name.Trim();
        if (name.Length > MaxNameLength)
        {
            throw new ArgumentException($"--name has at most {MaxNameLength} characters");
        }

        var stackId = await StackIdAsync(stackName, ct);
        var clientId = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
        var secret = Secrets.NewValue();
        db.OAuthClients.Add(new OAuthClient
        {
            StackId = stackId,
            ClientId = clientId,
            SecretHash = Secrets.Hash(secret),
            Name = name,
            RedirectUri = redirectUri,
            CreatedAt = time.GetUtcNow().ToUnixTimeSeconds(),
        });
        await db.SaveChangesAsync(ct);
        return new OAuthClientCreated(stackName, clientId, secret, redirectUri, name);
    }

    /// <summary>The stack's apps, oldest first, with how many of their tokens still work.</summary>
    public async Task<List<OAuthClientListed>> ListAsync(string stackName, CancellationToken ct)
    {
        var stackId = await StackIdAsync(stackName, ct);
        var now = time.GetUtcNow().ToUnixTimeSeconds();
        return await db.OAuthClients.AsNoTracking().Where(c => c.StackId == stackId).OrderBy(c => c.Id)
            .Select(c => new OAuthClientListed(c.ClientId, c.Name, c.RedirectUri, c.CreatedAt, c.RevokedAt,
                db.AccessTokens.Count(t => t.OAuthClientId == c.Id && t.RevokedAt == null && (t.ExpiresAt == null || t.ExpiresAt > now))))
            .ToListAsync(ct);
    }

    /// <summary>
    /// Revokes an app: it can no longer sign users in or redeem codes and refresh tokens, and every
    /// token it holds is revoked (a server's token cache forgets them within <c>Tessera:Auth:TokenCacheSeconds</c>).
    /// Returns how many tokens were revoked.
    /// </summary>
    public async Task<int> RevokeAsync(string stackName, string clientId, CancellationToken ct)
    {
        var stackId = await StackIdAsync(stackName, ct);
        var now = time.GetUtcNow().ToUnixTimeSeconds();
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var client = await db.OAuthClients.SingleOrDefaultAsync(c => c.StackId == stackId && c.ClientId == clientId, ct)
            ?? throw new ArgumentException($"stack '{stackName}' has no app '{clientId}'");
        client.RevokedAt ??= now;
        await db.SaveChangesAsync(ct);
        var tokens = await db.AccessTokens.Where(t => t.OAuthClientId == client.Id && t.RevokedAt == null)
            .ExecuteUpdateAsync(s => s.SetProperty(t => t.RevokedAt, now), ct);
        await transaction.CommitAsync(ct);
        return tokens;
    }

    private async Task<int> StackIdAsync(string stackName, CancellationToken ct) =>
        await db.Stacks.Where(s => s.Name == stackName).Select(s => (int?)s.Id).SingleOrDefaultAsync(ct)
            ?? throw new ArgumentException($"no stack named '{stackName}'");

    /// <summary>
    /// Why <paramref name="uri"/> cannot be a redirect URI, or null: it must be an absolute https URL
    /// (http only for a loopback host), without a fragment or user info, at most 2048 characters.
    /// </summary>
    public static string? RedirectUriProblem(string? uri)
    {
        if (string.IsNullOrEmpty(uri))
        {
            return "a redirect URI is required";
        }

        if (uri.Length > MaxRedirectUriLength)
        {
            return $"a redirect URI has at most {MaxRedirectUriLength} characters";
        }

        if (!Uri.TryCreate(uri, UriKind.Absolute, out var parsed))
        {
            return "a redirect URI must be an absolute URL";
        }

        if (uri.Any(c => !char.IsAscii(c) || char.IsWhiteSpace(c) || char.IsControl(c)))
        {
            return "a redirect URI must be ASCII without spaces (percent-encode other characters)";
        }

        if (uri.Contains('#', StringComparison.Ordinal))
        {
            return "a redirect URI must not have a fragment";
        }

        if (parsed.UserInfo.Length > 0)
        {
            return "a redirect URI must not carry a user name or password";
        }

        return parsed.Scheme == Uri.UriSchemeHttps || (parsed.Scheme == Uri.UriSchemeHttp && parsed.IsLoopback)
            ? null
            : "a redirect URI must use https (http only for 127.0.0.1, localhost or [::1])";
    }

    /// <summary>The app with this public id, unless it is unknown or revoked.</summary>
    public Task<OAuthClient?> FindAsync(string? clientId, CancellationToken ct) =>
        string.IsNullOrEmpty(clientId) || clientId.Length > 64
            ? Task.FromResult<OAuthClient?>(null)
            : db.OAuthClients.AsNoTracking().SingleOrDefaultAsync(c => c.ClientId == clientId && c.RevokedAt == null, ct);

    /// <summary>The app when <paramref name="secret"/> is its secret, else null (compared in fixed time).</summary>
    public async Task<OAuthClient?> AuthenticateAsync(string? clientId, string? secret, CancellationToken ct)
    {
        var client = await FindAsync(clientId, ct);
        if (client is null || string.IsNullOrEmpty(secret) || secret.Length > 256)
        {
            return null;
        }

        var given = Encoding.ASCII.GetBytes(Secrets.Hash(secret));
        var stored = Encoding.ASCII.GetBytes(client.SecretHash);
        return CryptographicOperations.FixedTimeEquals(given, stored) ? client : null;
    }
}
