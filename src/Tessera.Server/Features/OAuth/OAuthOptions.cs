namespace Tessera.Server.Features.OAuth;

/// <summary><c>Tessera:OAuth</c>: lifetimes and the login lockout of the OAuth2 flow (docs/oauth.md).</summary>
public sealed class OAuthOptions
{
    public const string Section = "Tessera:OAuth";

    /// <summary>How long an authorization code may be redeemed (RFC 6749 §4.1.2 recommends at most 10 minutes).</summary>
    public int CodeSeconds { get; set; } = 60;

    /// <summary>Lifetime of an access token issued to an app; 365 days is Stackla's <c>expires_in</c> of 31536000.</summary>
    public int AccessTokenDays { get; set; } = 365;

    /// <summary>Lifetime of a refresh token; never shorter than the access token's, so an expired access token can still be refreshed.</summary>
    public int RefreshTokenDays { get; set; } = 395;

    /// <summary>Consecutive failed logins of one user that lock the user out.</summary>
    public int LockoutFailures { get; set; } = 5;

    /// <summary>How long a locked-out user's logins are refused.</summary>
    public int LockoutMinutes { get; set; } = 15;

    /// <summary>How long a login form and a consent page may be submitted after they were shown.</summary>
    public int FormMinutes { get; set; } = 5;

    /// <summary>Lifetime of an Embeddable Admin UI session token (<c>/api/oemsession</c>).</summary>
    public int OemSessionSeconds { get; set; } = 60;

    /// <summary>
    /// A folder for the Data Protection keys that sign login forms and consent tickets. Nodes of one
    /// deployment must share it; unset, ASP.NET Core's default (the user profile) is used.
    /// </summary>
    public string? KeysPath { get; set; }

    internal bool IsValid() =>
        CodeSeconds is > 0 and <= 600 && AccessTokenDays is > 0 and <= 3650 && RefreshTokenDays >= AccessTokenDays && RefreshTokenDays <= 3650
        && LockoutFailures is > 0 and <= 100 && LockoutMinutes is > 0 and <= 1440 && FormMinutes is > 0 and <= 60 && OemSessionSeconds is > 0 and <= 600;
}
