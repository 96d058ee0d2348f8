using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Tessera.Server.Features.Stacks;
using Tessera.Server.Features.Users;

namespace Tessera.Server.Features.OAuth;

/// <summary>
/// A third-party app registered on a stack (<c>tessera oauth-client create</c>). Its secret is
/// stored only as a hash; the redirect URI must match exactly.
/// </summary>
public sealed class OAuthClient
{
    public int Id { get; set; }

    public int StackId { get; set; }

    /// <summary>The public client id (<c>client_id</c>).</summary>
    public required string ClientId { get; set; }

    /// <summary>SHA-256 of the client secret (a 256-bit random value, so a fast hash is enough).</summary>
    public required string SecretHash { get; set; }

    public required string Name { get; set; }

    public required string RedirectUri { get; set; }

    public long CreatedAt { get; set; }

    public long? RevokedAt { get; set; }
}

/// <summary>An authorization code: single use, short-lived, bound to its client, user and redirect URI.</summary>
public sealed class OAuthCode
{
    public long Id { get; set; }

    /// <summary>SHA-256 of the code.</summary>
    public required string CodeHash { get; set; }

    public int ClientId { get; set; }

    public int StackId { get; set; }

    public int UserId { get; set; }

    public required string RedirectUri { get; set; }

    public long ExpiresAt { get; set; }

    public long? UsedAt { get; set; }
}

/// <summary>An Embeddable Admin UI session token (<c>/api/oemsession</c>): single use, valid 60 s.</summary>
public sealed class OemSession
{
    public long Id { get; set; }

    /// <summary>SHA-256 of the session token.</summary>
    public required string TokenHash { get; set; }

    public int StackId { get; set; }

    public int UserId { get; set; }

    public int? ClientId { get; set; }

    public long ExpiresAt { get; set; }

    public long? UsedAt { get; set; }
}

internal sealed class OAuthConfiguration :
    IEntityTypeConfiguration<OAuthClient>, IEntityTypeConfiguration<OAuthCode>, IEntityTypeConfiguration<OemSession>
{
    public void Configure(EntityTypeBuilder<OAuthClient> client)
    {
        client.ToTable("oauth_clients");
        client.HasIndex(c => c.ClientId).IsUnique();
        client.HasIndex(c => c.StackId);
        client.HasOne<Stack>().WithMany().HasForeignKey(c => c.StackId).OnDelete(DeleteBehavior.Cascade);
        client.Property(c => c.ClientId).HasMaxLength(64);
        client.Property(c => c.SecretHash).HasMaxLength(64);
        client.Property(c => c.Name).HasMaxLength(255);
        client.Property(c => c.RedirectUri).HasMaxLength(2048);
    }

    public void Configure(EntityTypeBuilder<OAuthCode> code)
    {
        code.ToTable("oauth_codes");
        code.HasIndex(c => c.CodeHash).IsUnique();
        code.HasOne<OAuthClient>().WithMany().HasForeignKey(c => c.ClientId).OnDelete(DeleteBehavior.Cascade);
        code.HasOne<User>().WithMany().HasForeignKey(c => c.UserId).OnDelete(DeleteBehavior.Cascade);
        code.Property(c => c.CodeHash).HasMaxLength(64);
        code.Property(c => c.RedirectUri).HasMaxLength(2048);
    }

    public void Configure(EntityTypeBuilder<OemSession> session)
    {
        session.ToTable("oem_sessions");
        session.HasIndex(s => s.TokenHash).IsUnique();
        session.HasOne<User>().WithMany().HasForeignKey(s => s.UserId).OnDelete(DeleteBehavior.Cascade);
        session.Property(s => s.TokenHash).HasMaxLength(64);
    }
}
