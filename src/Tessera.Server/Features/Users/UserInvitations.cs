using Microsoft.EntityFrameworkCore;
using Tessera.Server.Auth;
using Tessera.Server.Data;
using Tessera.Server.Hosting;

namespace Tessera.Server.Features.Users;

/// <summary>
/// Invitations: the only way a user joins a stack. Inviting makes a pending user (no password)
/// and a one-time link to <c>/invite/{token}</c>, valid <see cref="LifetimeDays"/> days; following
/// it sets the password and makes the user active. Only the token's SHA-256 is stored. Inviting
/// again re-issues the link (the old one stops working); inviting a removed user brings them back
/// as pending, with the new groups.
/// </summary>
public sealed class UserInvitations(TesseraDbContext db, TimeProvider time, PublicUrl publicUrl)
{
    public const int LifetimeDays = 7;

    /// <summary>
    /// The invitation, or why there is none: <c>exists</c> when the address is an active user's
    /// (username or e-mail), <c>concurrent_update</c> when another request changed the user meanwhile.
    /// The check and the write hold the stack's lock (e-mail addresses are unique per stack).
    /// </summary>
    public async Task<(InvitationWire? Invitation, string? Reason, string? Message)> InviteAsync(
        int stackId, string email, AclGroups groups, string? name, string? surname, HttpRequest? request, CancellationToken ct)
    {
        var now = time.GetUtcNow().ToUnixTimeSeconds();
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        await StackLock.AcquireAsync(db, stackId, ct);
        var user = await db.Users.FirstOrDefaultAsync(u => u.StackId == stackId && u.Username == email, ct);
        if (user is { RemovedAt: null, InvitationHash: null } || await UserEmails.TakenAsync(db, stackId, email, user?.Id, ct))
        {
            return (null, "exists", $"{email} is already a user of this stack");
        }

        if (user is null)
        {
            user = new User { StackId = stackId, Username = email, CreatedAt = now };
            db.Users.Add(user);
        }

        user.Email = email;
        user.AclGroups = groups;
        user.FirstName = name ?? user.FirstName;
        user.LastName = surname ?? user.LastName;
        user.RemovedAt = null;
        user.PasswordHash = null;
        user.FailedLogins = 0;
        user.LockedUntil = null;
        user.UpdatedAt = now;
        user.Version++;

        var token = Secrets.NewValue();
        user.InvitationHash = Secrets.Hash(token);
        user.InvitationExpiresAt = now + (LifetimeDays * 86_400L);
        if (await db.TrySaveAsync(ct) != SaveOutcome.Saved)
        {
            return (null, "concurrent_update", $"{email} was invited or changed by another request at the same time; try again");
        }

        await transaction.CommitAsync(ct);
        var url = $"{publicUrl.Base(request)}/invite/{token}";
        return (new InvitationWire(UserWire.From(user), url, user.InvitationExpiresAt.Value), null, null);
    }

    /// <summary>The pending user an invitation token belongs to, if it is valid and unexpired.</summary>
    public async Task<User?> FindAsync(string token, CancellationToken ct)
    {
        if (token.Length != 64)
        {
            return null;
        }

        var hash = Secrets.Hash(token);
        var now = time.GetUtcNow().ToUnixTimeSeconds();
        return await db.Users.Include(u => u.Stack)
            .FirstOrDefaultAsync(u => u.InvitationHash == hash && u.InvitationExpiresAt > now && u.RemovedAt == null, ct);
    }

    /// <summary>Sets the invited user's password and ends the invitation; false when the link was used or changed meanwhile.</summary>
    public async Task<bool> AcceptAsync(User user, string password, CancellationToken ct)
    {
        UserPasswords.Set(user, password);
        user.InvitationHash = null;
        user.InvitationExpiresAt = null;
        user.UpdatedAt = time.GetUtcNow().ToUnixTimeSeconds();
        user.Version++;
        return await db.TrySaveAsync(ct) == SaveOutcome.Saved;
    }
}
