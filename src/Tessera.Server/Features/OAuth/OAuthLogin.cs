using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Tessera.Server.Auth;
using Tessera.Server.Data;
using Tessera.Server.Features.Users;

namespace Tessera.Server.Features.OAuth;

/// <summary>
/// Checks a username and password on the login page of the OAuth flow, with a lockout against
/// guessing: after <see cref="OAuthOptions.LockoutFailures"/> consecutive failures a user is locked for
/// <see cref="OAuthOptions.LockoutMinutes"/>. Each attempt first reserves one of those guesses with a single
/// conditional UPDATE, and only a reserved attempt has its password checked, so parallel requests cannot
/// get more guesses than the limit. Unknown, removed, pending (no password yet) and locked users all fail
/// the same way and cost the same work (that UPDATE, one read, one password hash), so the answer reveals
/// nothing about them. The counters do not move the user's <c>Version</c>: they are not an edit of the user.
/// </summary>
public sealed class OAuthLogin(TesseraDbContext db, TimeProvider time, IOptions<OAuthOptions> options)
{
    // A hash of a random password: verifying against it costs what a real check costs.
    private static readonly User Nobody = CreateNobody();

    /// <summary>The user of <paramref name="stackId"/> these credentials belong to, or null.</summary>
    public async Task<User?> SignInAsync(int stackId, string? username, string? password, CancellationToken ct)
    {
        // Refused before any lookup, for everyone alike, and not counted as a guess.
        if (string.IsNullOrEmpty(username) || username.Length > 255 || string.IsNullOrEmpty(password) || password.Length > UserPasswords.MaxLength)
        {
            return null;
        }

        var now = time.GetUtcNow().ToUnixTimeSeconds();
        var reserved = await ReserveAttemptAsync(stackId, username, now, ct) == 1;
        var user = await db.Users.AsNoTracking().SingleOrDefaultAsync(u => u.StackId == stackId && u.Username == username, ct);
        if (!reserved || user is not { RemovedAt: null, InvitationHash: null, PasswordHash: not null })
        {
            UserPasswords.Verify(Nobody, password);
            return null;
        }

        var storedHash = user.PasswordHash;
        if (!UserPasswords.Verify(user, password))
        {
            // The reservation already counted this failure (and locked the user if it was the last allowed guess).
            return null;
        }

        await db.Users.Where(u => u.Id == user.Id)
            .ExecuteUpdateAsync(s => s.SetProperty(u => u.FailedLogins, 0).SetProperty(u => u.LockedUntil, (long?)null).SetProperty(u => u.LastLoginAt, now), ct);
        if (user.PasswordHash != storedHash)
        {
            // The hasher asked for a rehash (newer parameters); only if nobody changed the password meanwhile.
            var rehashed = user.PasswordHash;
            await db.Users.Where(u => u.Id == user.Id && u.PasswordHash == storedHash)
                .ExecuteUpdateAsync(s => s.SetProperty(u => u.PasswordHash, rehashed), ct);
        }

        return user;
    }

    /// <summary>
    /// Counts one guess for an active, unlocked user with a password, in one atomic UPDATE, before the password
    /// is checked: 1 when the guess may be checked, 0 otherwise (unknown, removed, pending or locked user).
    /// A lock that has run out starts the count again at 1; the guess that reaches the limit sets the lock.
    /// A success then resets the count. Every attempt runs this statement, whether or not the user exists.
    /// </summary>
    private Task<int> ReserveAttemptAsync(int stackId, string username, long now, CancellationToken ct)
    {
        var limit = options.Value.LockoutFailures;
        var lockedUntil = now + (options.Value.LockoutMinutes * 60L);
        return db.Users.Active()
            .Where(u => u.StackId == stackId && u.Username == username && u.PasswordHash != null
                && (u.LockedUntil == null || u.LockedUntil <= now))
            .ExecuteUpdateAsync(
                s => s
                    .SetProperty(u => u.FailedLogins, u => u.LockedUntil == null ? u.FailedLogins + 1 : 1)
                    .SetProperty(u => u.LockedUntil, u => (u.LockedUntil == null ? u.FailedLogins + 1 : 1) >= limit ? lockedUntil : (long?)null),
                ct);
    }

    private static User CreateNobody()
    {
        var nobody = new User { Username = string.Empty };
        UserPasswords.Set(nobody, Secrets.NewValue());
        return nobody;
    }
}
