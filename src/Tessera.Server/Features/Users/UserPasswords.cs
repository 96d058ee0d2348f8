using Microsoft.AspNetCore.Identity;

namespace Tessera.Server.Features.Users;

/// <summary>
/// Users' passwords, hashed by ASP.NET Core Identity's standard hasher (PBKDF2 with a per-password
/// salt and an iteration count it upgrades over time).
/// </summary>
public static class UserPasswords
{
    public const int MinLength = 10;
    public const int MaxLength = 256;

    private static readonly PasswordHasher<User> Hasher = new();

    /// <summary>Why <paramref name="password"/> cannot be used, or null when it can.</summary>
    public static string? Problem(string? password) => password switch
    {
        null or "" => "a password is required",
        { Length: < MinLength } => $"a password has at least {MinLength} characters",
        { Length: > MaxLength } => $"a password has at most {MaxLength} characters",
        _ => null,
    };

    public static void Set(User user, string password) => user.PasswordHash = Hasher.HashPassword(user, password);

    /// <summary>
    /// True when <paramref name="password"/> is the user's. A hash made with older parameters is
    /// replaced on success (the caller saves the user).
    /// </summary>
    public static bool Verify(User user, string password)
    {
        if (user.PasswordHash is null || password.Length > MaxLength)
        {
            return false;
        }

        var result = Hasher.VerifyHashedPassword(user, user.PasswordHash, password);
        if (result == PasswordVerificationResult.SuccessRehashNeeded)
        {
            Set(user, password);
        }

        return result != PasswordVerificationResult.Failed;
    }
}
