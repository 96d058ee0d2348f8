using Tessera.Server.Auth;
using Tessera.Server.Features.Stacks;

namespace Tessera.Server.Features.Users;

/// <summary>
/// A person on a stack (reference §2.7). Users are invited, not created, through the API: an
/// invited user is pending (<see cref="InvitationHash"/> set, no password) until they follow the
/// one-time link. A removed user keeps the row (webhook payloads and moderation views name them)
/// but is invisible to the API and has no valid token.
/// </summary>
public sealed class User
{
    public int Id { get; set; }

    public int StackId { get; set; }

    public Stack Stack { get; set; } = null!;

    public required string Username { get; set; }

    public string? Email { get; set; }

    /// <summary><c>name</c> on the wire.</summary>
    public string FirstName { get; set; } = string.Empty;

    /// <summary><c>surname</c> on the wire.</summary>
    public string LastName { get; set; } = string.Empty;

    public string Description { get; set; } = string.Empty;

    /// <summary>A tz database name.</summary>
    public string DisplayTimezone { get; set; } = "UTC";

    /// <summary><c>metric</c> or <c>imperial</c>.</summary>
    public string Distances { get; set; } = "metric";

    public AclGroups AclGroups { get; set; }

    /// <summary>The password as ASP.NET Core Identity's hasher stores it; null until one is set.</summary>
    public string? PasswordHash { get; set; }

    /// <summary>Failed logins since the last success (brute-force lockout).</summary>
    public int FailedLogins { get; set; }

    /// <summary>UNIX seconds until which logins are refused.</summary>
    public long? LockedUntil { get; set; }

    public long? LastLoginAt { get; set; }

    /// <summary>SHA-256 of the pending invitation's one-time token; null once accepted.</summary>
    public string? InvitationHash { get; set; }

    public long? InvitationExpiresAt { get; set; }

    public long? RemovedAt { get; set; }

    /// <summary>Optimistic-concurrency token: every update increments it.</summary>
    public int Version { get; set; }

    public long CreatedAt { get; set; }

    public long UpdatedAt { get; set; }
}
