using Tessera.Server.Auth;

namespace Tessera.Server.Features.Users;

/// <summary>
/// A user as the Users API returns it (reference §2.7). <c>acl_groups</c> is the list of group ids;
/// <c>status</c> is <c>pending</c> until an invited user has set a password.
/// </summary>
public sealed record UserWire(
    int Id,
    string Username,
    string Name,
    string Surname,
    string? Email,
    string Description,
    string DisplayTimezone,
    string Distances,
    int[] AclGroups,
    string Status,
    string? LastLogin,
    long CreatedAt,
    long UpdatedAt)
{
    public static UserWire From(User user) => new(
        user.Id,
        user.Username,
        user.FirstName,
        user.LastName,
        user.Email,
        user.Description,
        user.DisplayTimezone,
        user.Distances,
        AclGroupIds.Of(user.AclGroups),
        user.InvitationHash is null ? "active" : "pending",
        user.LastLoginAt is { } at ? DateTimeOffset.FromUnixTimeSeconds(at).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture) : null,
        user.CreatedAt,
        user.UpdatedAt);
}

/// <summary>An invitation as answered once, when it is made: the user and the one-time link.</summary>
public sealed record InvitationWire(UserWire User, string InvitationUrl, long InvitationExpiresAt);
