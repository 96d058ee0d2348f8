using System.Text;
using System.Text.RegularExpressions;
using Tessera.Server.Hosting;

namespace Tessera.Server.Features.OAuth;

/// <summary>
/// The HTML of the OAuth flow and the OEM session entry: <see cref="HtmlPage"/>s with every value
/// HTML-encoded.
/// </summary>
public static partial class OAuthPages
{
    public const string FormPath = "/api/oauth2/authenticate";

    /// <summary>The login form; <paramref name="fields"/> are the OAuth parameters carried in hidden fields.</summary>
    public static IResult Login(string appName, string stack, IReadOnlyList<KeyValuePair<string, string>> fields, string formToken, string? error, string? redirectOrigin)
    {
        var body = new StringBuilder();
        body.Append("<h1>Sign in to ").Append(E(stack)).Append("</h1>");
        body.Append("<p class=\"muted\">").Append(E(appName)).Append(" asks for access to your Tessera stack.</p>");
        if (error is not null)
        {
            body.Append("<p class=\"error\" role=\"alert\">").Append(E(error)).Append("</p>");
        }

        body.Append("<form method=\"post\" action=\"").Append(FormPath).Append("\">");
        Hidden(body, "step", "login");
        foreach (var (name, value) in fields)
        {
            Hidden(body, name, value);
        }

        Hidden(body, "form_token", formToken);
        body.Append("<label for=\"username\">Username</label><input type=\"text\" id=\"username\" name=\"username\" autocomplete=\"username\" required autofocus>");
        body.Append("<label for=\"password\">Password</label><input type=\"password\" id=\"password\" name=\"password\" autocomplete=\"current-password\" required>");
        body.Append("<button type=\"submit\">Sign in</button></form>");
        return Page(200, "Sign in", body.ToString(), redirectOrigin);
    }

    /// <summary>The consent page: "{app} wants to act as {user} on stack {stack}", Allow or Deny.</summary>
    public static IResult Consent(string appName, string username, string stack, string ticket, string? redirectOrigin)
    {
        var body = new StringBuilder();
        body.Append("<h1>Allow access?</h1><p><strong>").Append(E(appName)).Append("</strong> wants to act as <strong>")
            .Append(E(username)).Append("</strong> on stack <strong>").Append(E(stack)).Append("</strong>.</p>");
        body.Append("<p class=\"muted\">It will be able to read and change this stack's content with your rights until you revoke its access.</p>");
        body.Append("<form method=\"post\" action=\"").Append(FormPath).Append("\">");
        Hidden(body, "step", "consent");
        Hidden(body, "ticket", ticket);
        body.Append("<button type=\"submit\" name=\"decision\" value=\"allow\">Allow</button>");
        body.Append("<button type=\"submit\" name=\"decision\" value=\"deny\">Deny</button></form>");
        return Page(200, "Allow access?", body.ToString(), redirectOrigin);
    }

    /// <summary>A page that only explains what went wrong (no redirect: the redirect URI cannot be trusted).</summary>
    public static IResult Error(int status, string title, string message) =>
        Page(status, title, $"<h1>{E(title)}</h1><p class=\"error\">{E(message)}</p>", null);

    /// <summary>A page with a heading and a paragraph.</summary>
    public static IResult Message(int status, string title, string message) =>
        Page(status, title, $"<h1>{E(title)}</h1><p>{E(message)}</p>", null);

    /// <summary>
    /// <c>scheme://host[:port]</c> of a redirect URI, for the CSP's <c>form-action</c>: browsers apply it to the
    /// redirect that answers a form too, so the consent form must be allowed to lead to the app. Null when the
    /// origin has characters a CSP source cannot carry (then only 'self' is allowed).
    /// </summary>
    public static string? OriginOf(string redirectUri) =>
        Uri.TryCreate(redirectUri, UriKind.Absolute, out var uri) && uri.GetLeftPart(UriPartial.Authority) is var origin && CspSource().IsMatch(origin)
            ? origin
            : null;

    private static HtmlPage Page(int status, string title, string body, string? formOrigin) => new(status, title, body, formOrigin);

    private static void Hidden(StringBuilder body, string name, string value) =>
        body.Append("<input type=\"hidden\" name=\"").Append(E(name)).Append("\" value=\"").Append(E(value)).Append("\">");

    private static string E(string value) => HtmlPage.Encode(value);

    [GeneratedRegex(@"^https?://[A-Za-z0-9.\-\[\]:]+$")]
    private static partial Regex CspSource();
}
