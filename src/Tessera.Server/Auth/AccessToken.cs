using Tessera.Server.Features.Stacks;
using Tessera.Server.Features.Users;

namespace Tessera.Server.Auth;

public enum TokenScope
{
    ReadWrite = 0,
    Read = 1,
}

/// <summary>
/// An API access token. Only its hash is stored (<see cref="Secrets"/>).
/// </summary>
public sealed class AccessToken
{
    public long Id { get; set; }

    public int StackId { get; set; }

    public Stack Stack { get; set; } = null!;

    public int UserId { get; set; }

    public User User { get; set; } = null!;

    public required string TokenHash { get; set; }

    public TokenScope Scope { get; set; }

    public long CreatedAt { get; set; }

    public long? ExpiresAt { get; set; }

    public long? RevokedAt { get; set; }

    /// <summary>The OAuth app the token was issued to (authorization-code flow); null for tokens made by an admin.</summary>
    public int? OAuthClientId { get; set; }

    /// <summary>SHA-256 of the refresh token issued with an app token; it is used once (rotation).</summary>
    public string? RefreshTokenHash { get; set; }

    public long? RefreshExpiresAt { get; set; }

    /// <summary>Creates a new random token; returns the entity and the plain token (shown once).</summary>
    public static (AccessToken Entity, string PlainToken) Issue(int stackId, int userId, TokenScope scope, long now)
    {
        var plain = Secrets.NewValue();
        var entity = new AccessToken { StackId = stackId, UserId = userId, TokenHash = Secrets.Hash(plain), Scope = scope, CreatedAt = now };
        return (entity, plain);
    }
}
