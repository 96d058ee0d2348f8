using Tessera.Server.Hosting;

namespace Tessera.Server.Features.Users;

/// <summary>
/// The page an invitation link opens (<c>/invite/{token}</c>): a form to choose a password. The
/// token in the path is the secret, so the form needs no other anti-forgery value; a used,
/// expired or unknown link answers 404.
/// </summary>
public static class InvitationPages
{
    public static void MapInvitationPages(this IEndpointRouteBuilder routes)
    {
        var pages = routes.MapGroup("/invite").ExcludeFromDescription();
        pages.MapGet("/{token}", ShowInvitation);
        pages.MapPost("/{token}", AcceptInvitation).DisableAntiforgery();
    }

    public static async Task<IResult> ShowInvitation(string token, UserInvitations invitations, CancellationToken ct)
    {
        var user = await invitations.FindAsync(token, ct);
        return user is null ? Gone() : Form(user, problem: null);
    }

    public static async Task<IResult> AcceptInvitation(string token, HttpRequest request, UserInvitations invitations, CancellationToken ct)
    {
        var user = await invitations.FindAsync(token, ct);
        if (user is null)
        {
            return Gone();
        }

        if (!request.HasFormContentType)
        {
            return Form(user, "send the form to set your password", StatusCodes.Status400BadRequest);
        }

        IFormCollection form;
        try
        {
            form = await request.ReadFormAsync(ct);
        }
        catch (Exception e) when (e is InvalidDataException or IOException or BadHttpRequestException)
        {
            return Form(user, "the form could not be read; send it again", StatusCodes.Status400BadRequest);
        }

        var password = form["password"].ToString();
        if (UserPasswords.Problem(password) is { } problem)
        {
            return Form(user, problem, StatusCodes.Status400BadRequest);
        }

        if (!string.Equals(password, form["password_confirm"].ToString(), StringComparison.Ordinal))
        {
            return Form(user, "the two passwords differ", StatusCodes.Status400BadRequest);
        }

        if (!await invitations.AcceptAsync(user, password, ct))
        {
            return Gone();
        }

        return Page("Password set", $"<p>Your password for <b>{Html(user.Username)}</b> on stack <b>{Html(user.Stack.Name)}</b> is set. You can now sign in where an app asks you to.</p>");
    }

    private static HtmlPage Form(User user, string? problem, int status = StatusCodes.Status200OK) => Page(
        "Choose a password",
        $"""
        <p>You are invited to stack <b>{Html(user.Stack.Name)}</b> as <b>{Html(user.Username)}</b>.</p>
        {(problem is null ? string.Empty : $"<p class=\"error\" role=\"alert\">{Html(problem)}</p>")}
        <form method="post">
          <label for="password">Password (at least {UserPasswords.MinLength} characters)</label>
          <input type="password" id="password" name="password" autocomplete="new-password" required minlength="{UserPasswords.MinLength}" maxlength="{UserPasswords.MaxLength}">
          <label for="password_confirm">Repeat it</label>
          <input type="password" id="password_confirm" name="password_confirm" autocomplete="new-password" required>
          <button type="submit">Set password</button>
        </form>
        """,
        status);

    private static HtmlPage Gone() =>
        Page("Invitation not valid", "<p>This invitation link was already used, has expired or was replaced by a newer one. Ask an Admin of the stack for a new invitation.</p>", StatusCodes.Status404NotFound);

    private static HtmlPage Page(string title, string body, int status = StatusCodes.Status200OK) => new(status, title, $"<h1>{Html(title)}</h1>{body}");

    private static string Html(string text) => HtmlPage.Encode(text);
}
