using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.Options;

namespace Tessera.Server.Features.OAuth;

/// <summary>What the consent page carries from the login to the user's decision: never the password.</summary>
public sealed record ConsentTicket(int UserId, int ClientId, string RedirectUri, string? State, string Nonce, long ExpiresAt);

/// <summary>
/// Anti-forgery for the login and consent forms, and the consent ticket, through ASP.NET Core Data
/// Protection (authenticated encryption). A browser gets a random nonce in an HttpOnly, SameSite=Strict
/// cookie; every form carries a protected value naming that nonce and an expiry (<see cref="OAuthOptions.FormMinutes"/>).
/// A form posted from another site, without the cookie, with another browser's value or too late is
/// refused. This is the double-submit scheme of ASP.NET Core's antiforgery, done here because the API
/// gateway has already read the request body into <c>ApiParameters</c> (docs/oauth.md).
/// </summary>
public sealed class OAuthForms(IDataProtectionProvider protection, TimeProvider time, IOptions<OAuthOptions> options)
{
    public const string CookieName = "tessera_oauth";
    private const string CookiePath = "/api/oauth2/";

    // The longest protected value read back. A consent ticket holds a redirect URI (2,048 characters) and a
    // state (1,024) that JSON may escape to six characters each (\u0026 for &), about 19,000 characters;
    // encryption adds a header and a MAC, and base64url a third.
    private const int MaxProtectedLength = 32 * 1024;

    private readonly IDataProtector _loginForms = protection.CreateProtector("Tessera.OAuth.LoginForm.v1");
    private readonly IDataProtector _consent = protection.CreateProtector("Tessera.OAuth.Consent.v1");

    /// <summary>The browser's nonce from its cookie, or a new one set in the response.</summary>
    public static string BrowserNonce(HttpContext context)
    {
        if (ReadNonce(context) is { } existing)
        {
            return existing;
        }

        var nonce = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
        context.Response.Cookies.Append(CookieName, nonce, new CookieOptions
        {
            HttpOnly = true,
            SameSite = SameSiteMode.Strict,
            Secure = context.Request.IsHttps,
            Path = CookiePath,
            IsEssential = true,
        });
        return nonce;
    }

    /// <summary>The anti-forgery value of a login form shown to the browser with <paramref name="nonce"/>.</summary>
    public string LoginFormToken(string nonce) => _loginForms.Protect($"{nonce}|{ExpiresAt()}");

    /// <summary>True when <paramref name="token"/> came from a login form this browser was shown, and is not too old.</summary>
    public bool IsValidLoginForm(HttpContext context, string? token)
    {
        var plain = Unprotect(_loginForms, token);
        var bar = plain?.IndexOf('|', StringComparison.Ordinal) ?? -1;
        return bar > 0
            && long.TryParse(plain.AsSpan(bar + 1), System.Globalization.CultureInfo.InvariantCulture, out var expires)
            && expires > Now()
            && SameNonce(ReadNonce(context), plain![..bar]);
    }

    public string ConsentTicketFor(int userId, int clientId, string redirectUri, string? state, string nonce) =>
        _consent.Protect(JsonSerializer.Serialize(new ConsentTicket(userId, clientId, redirectUri, state, nonce, ExpiresAt()), OAuthFormsJson.Default.ConsentTicket));

    /// <summary>The ticket of a consent page this browser was shown, or null when it is forged, foreign or too old.</summary>
    public ConsentTicket? ReadConsentTicket(HttpContext context, string? value)
    {
        var plain = Unprotect(_consent, value);
        if (plain is null)
        {
            return null;
        }

        ConsentTicket? ticket;
        try
        {
            ticket = JsonSerializer.Deserialize(plain, OAuthFormsJson.Default.ConsentTicket);
        }
        catch (JsonException)
        {
            return null;
        }

        return ticket is not null && ticket.ExpiresAt > Now() && SameNonce(ReadNonce(context), ticket.Nonce) ? ticket : null;
    }

    private long Now() => time.GetUtcNow().ToUnixTimeSeconds();

    private long ExpiresAt() => Now() + (options.Value.FormMinutes * 60L);

    private static string? ReadNonce(HttpContext context) =>
        context.Request.Cookies[CookieName] is { Length: 32 } value && value.All(char.IsAsciiHexDigitLower) ? value : null;

    private static bool SameNonce(string? cookie, string expected) =>
        cookie is not null && CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(cookie), Encoding.ASCII.GetBytes(expected));

    private static string? Unprotect(IDataProtector protector, string? value)
    {
        if (string.IsNullOrEmpty(value) || value.Length > MaxProtectedLength)
        {
            return null;
        }

        try
        {
            return protector.Unprotect(value);
        }
        catch (Exception e) when (e is CryptographicException or FormatException)
        {
            return null;
        }
    }
}

[JsonSerializable(typeof(ConsentTicket))]
internal sealed partial class OAuthFormsJson : JsonSerializerContext;
