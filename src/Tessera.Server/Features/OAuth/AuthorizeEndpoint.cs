using System.Text;
using Microsoft.EntityFrameworkCore;
using Tessera.Server.Compat;
using Tessera.Server.Data;
using Tessera.Server.Features.Users;
using Tessera.Server.Hosting;

namespace Tessera.Server.Features.OAuth;

/// <summary>
/// <c>GET|POST /api/oauth2/authenticate</c> (RFC 6749 §4.1.1): checks the app and its redirect URI, shows
/// the login form, then the consent page, then redirects to the app with <c>code</c> and <c>state</c>.
/// An unknown app or a redirect URI that is not the registered one gets an error page and no redirect
/// (§4.1.2.1); every later error is a redirect with <c>error</c> and <c>state</c>.
/// </summary>
public static class AuthorizeEndpoint
{
    public const int MaxStateLength = 1024;

    public static async Task<IResult> Authorize(
        HttpContext context, ApiParameters parameters, OAuthClients clients, OAuthForms forms, OAuthLogin login,
        OAuthTokens tokens, TesseraDbContext db, CancellationToken ct)
    {
        var isPost = HttpMethods.IsPost(context.Request.Method);
        var step = isPost ? parameters.GetText("step") : null;
        if (step == "consent")
        {
            return await DecideAsync(context, parameters, forms, tokens, db, ct);
        }

        var client = await clients.FindAsync(parameters.GetText("client_id"), ct);
        if (client is null)
        {
            return OAuthPages.Error(400, "Unknown application", "The link you followed names no registered application (client_id). Tell the application's developer.");
        }

        var redirectUri = parameters.GetText("redirect_uri");
        if (string.IsNullOrEmpty(redirectUri))
        {
            redirectUri = client.RedirectUri;
        }
        else if (!string.Equals(redirectUri, client.RedirectUri, StringComparison.Ordinal))
        {
            return OAuthPages.Error(400, "Invalid redirect URI", "The application asked to return to an address it has not registered (redirect_uri), so you are not sent there.");
        }

        var state = parameters.GetText("state");
        if (state?.Length > MaxStateLength)
        {
            return OAuthPages.Error(400, "Invalid request", $"The state parameter is longer than {MaxStateLength} characters.");
        }

        var responseType = parameters.GetText("response_type");
        if (string.IsNullOrEmpty(responseType))
        {
            return Redirect(redirectUri, "invalid_request", "response_type is required", state);
        }

        if (responseType != "code")
        {
            return Redirect(redirectUri, "unsupported_response_type", "only response_type=code is supported", state);
        }

        var stack = await db.Stacks.Where(s => s.Id == client.StackId).Select(s => s.Name).SingleAsync(ct);
        var nonce = OAuthForms.BrowserNonce(context);
        List<KeyValuePair<string, string>> fields = [new("response_type", "code"), new("client_id", client.ClientId), new("redirect_uri", redirectUri)];
        if (state is not null)
        {
            fields.Add(new("state", state));
        }

        var origin = OAuthPages.OriginOf(redirectUri);
        if (step != "login")
        {
            return OAuthPages.Login(client.Name, stack, fields, forms.LoginFormToken(nonce), null, origin);
        }

        if (!forms.IsValidLoginForm(context, parameters.GetText("form_token")))
        {
            return OAuthPages.Error(400, "This form has expired", "The sign-in form was too old, or was not sent from this browser's page. Go back to the application and start again.");
        }

        var user = await login.SignInAsync(client.StackId, parameters.GetText("username"), parameters.GetText("password"), ct);
        if (user is null)
        {
            return OAuthPages.Login(client.Name, stack, fields, forms.LoginFormToken(nonce), "Invalid username or password.", origin);
        }

        var ticket = forms.ConsentTicketFor(user.Id, client.Id, redirectUri, state, nonce);
        return OAuthPages.Consent(client.Name, user.Username, stack, ticket, origin);
    }

    /// <summary>The consent page's answer: a code for Allow, <c>access_denied</c> for Deny.</summary>
    private static async Task<IResult> DecideAsync(HttpContext context, ApiParameters parameters, OAuthForms forms, OAuthTokens tokens, TesseraDbContext db, CancellationToken ct)
    {
        var ticket = forms.ReadConsentTicket(context, parameters.GetText("ticket"));
        if (ticket is null)
        {
            return OAuthPages.Error(400, "This page has expired", "The consent page was too old, or was not sent from this browser's page. Go back to the application and start again.");
        }

        var client = await db.OAuthClients.AsNoTracking().SingleOrDefaultAsync(c => c.Id == ticket.ClientId && c.RevokedAt == null, ct);
        if (client is null || client.RedirectUri != ticket.RedirectUri)
        {
            return OAuthPages.Error(400, "Unknown application", "The application is no longer registered.");
        }

        switch (parameters.GetText("decision"))
        {
            case "deny":
                return Redirect(ticket.RedirectUri, "access_denied", "the user denied access", ticket.State);
            case "allow":
                if (!await db.Users.Active().AnyAsync(u => u.Id == ticket.UserId && u.StackId == client.StackId, ct))
                {
                    return Redirect(ticket.RedirectUri, "access_denied", "the user no longer exists", ticket.State);
                }

                var code = await tokens.IssueCodeAsync(client, ticket.UserId, ticket.RedirectUri, ct);
                return new RedirectAnswer(WithQuery(ticket.RedirectUri, [("code", code), ("state", ticket.State)]));
            default:
                return OAuthPages.Error(400, "Invalid request", "Choose Allow or Deny.");
        }
    }

    private static RedirectAnswer Redirect(string redirectUri, string error, string description, string? state) =>
        new(WithQuery(redirectUri, [("error", error), ("error_description", description), ("state", state)]));

    /// <summary><paramref name="uri"/> with the pairs appended to its query (with <c>&amp;</c> when it already has one); null values are left out.</summary>
    public static string WithQuery(string uri, IEnumerable<(string Name, string? Value)> pairs)
    {
        var url = new StringBuilder(uri);
        var separator = !uri.Contains('?', StringComparison.Ordinal) ? "?" : uri.EndsWith('?') || uri.EndsWith('&') ? string.Empty : "&";
        foreach (var (name, value) in pairs)
        {
            if (value is not null)
            {
                url.Append(separator).Append(name).Append('=').Append(Uri.EscapeDataString(value));
                separator = "&";
            }
        }

        return url.ToString();
    }

    /// <summary>A 302 to the app, with the flow's security headers.</summary>
    private sealed class RedirectAnswer(string location) : IResult
    {
        public Task ExecuteAsync(HttpContext httpContext)
        {
            HtmlPage.SetSecurityHeaders(httpContext.Response);
            httpContext.Response.StatusCode = StatusCodes.Status302Found;
            httpContext.Response.Headers.Location = location;
            return Task.CompletedTask;
        }
    }
}
