using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Tessera.Server.Data;
using Tessera.Server.Features.Users;

namespace Tessera.Server.Features.OAuth;

/// <summary>
/// Checks a username and password on the login page of the OAuth flow, with a lockout against
/// guessing: after <see cref="OAuthOptions.LockoutFailures"/> consecutive failures a user is locked for
/// <see cref="OAuthOptions.LockoutMinutes"/>. Unknown, removed, pending (no password yet) and locked users
/// all fail the same way and still cost one password hash, so the answer reveals nothing about them.
/// The counters are changed with single UPDATE statements (no read-modify-write race) and do not move the
/// user's <c>Version</c>: they are not an edit of the user.
/// </summary>
public sealed class OAuthLogin(TesseraDbContext db, TimeProvider time, IOptions<OAuthOptions> options)
{
    // A hash of a random password: verifying against it costs what a real check costs.
    private static readonly User Nobody = CreateNobody();

    /// <summary>The user of <paramref name="stackId"/> these credentials belong to, or null.</summary>
    public async Task<User?> SignInAsync(int stackId, string? username, string? password, CancellationToken ct)
    {
        if (string.IsNullOrEmpty(username) || username.Length > 255 || string.IsNullOrEmpty(password))
        {
            return null;
        }

        var now = time.GetUtcNow().ToUnixTimeSeconds();
        var user = await db.Users.AsNoTracking().SingleOrDefaultAsync(u => u.StackId == stackId && u.Username == username, ct);
        if (user is null || user.RemovedAt is not null || user.PasswordHash is null || user.LockedUntil > now)
        {
            UserPasswords.Verify(Nobody, password);
            return null;
        }

        var storedHash = user.PasswordHash;
        if (!UserPasswords.Verify(user, password))
        {
            await RecordFailureAsync(user.Id, now, ct);
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

    private async Task RecordFailureAsync(int userId, long now, CancellationToken ct)
    {
        var limit = options.Value.LockoutFailures;
        var lockedUntil = now + (options.Value.LockoutMinutes * 60L);
        await db.Users.Where(u => u.Id == userId)
            .ExecuteUpdateAsync(s => s.SetProperty(u => u.FailedLogins, u => u.FailedLogins + 1), ct);
        await db.Users.Where(u => u.Id == userId && u.FailedLogins >= limit)
            .ExecuteUpdateAsync(s => s.SetProperty(u => u.LockedUntil, lockedUntil).SetProperty(u => u.FailedLogins, 0), ct);
    }

    private static User CreateNobody()
    {
        var nobody = new User { Username = string.Empty };
        UserPasswords.Set(nobody, Convert.ToHexString(System.Security.Cryptography.RandomNumberGenerator.GetBytes(16)));
        return nobody;
    }
}
