using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Tessera.Server.Auth;
using Tessera.Server.Compat;
using Tessera.Server.Data;
using Tessera.Server.Features.Users;

namespace Tessera.Server.Features.OAuth;

/// <summary>
/// Sessions of the Embeddable Admin UI (reference §1.2.1 step 3): <c>POST /api/oemsession</c> exchanges the
/// caller's token for a session token (single use, <see cref="OAuthOptions.OemSessionSeconds"/>), and
/// <c>GET /oem/session?session_id=…</c>, the embed's entry point, consumes it.
/// </summary>
public static class OemSessionEndpoints
{
    public static async Task<IResult> Create(ApiCaller caller, ApiParameters parameters, TesseraDbContext db, TimeProvider time, IOptions<OAuthOptions> options, CancellationToken ct)
    {
        if (parameters.GetText("grant_type") != "exchange_token")
        {
            return ApiResults.Error(ApiResource.Request, 400, "unsupported_grant_type", "grant_type: must be exchange_token");
        }

        int? clientId = null;
        var named = parameters.GetText("client_id");
        if (!string.IsNullOrEmpty(named))
        {
            clientId = named.Length > 64 ? null : await db.OAuthClients
                .Where(c => c.ClientId == named && c.StackId == caller.StackId && c.RevokedAt == null)
                .Select(c => (int?)c.Id).SingleOrDefaultAsync(ct);
            if (clientId is null)
            {
                return ApiResults.Error(ApiResource.Request, 400, "invalid_client", "client_id: no app with this id is registered on this stack");
            }
        }

        var token = Secrets.NewValue();
        db.OemSessions.Add(new OemSession
        {
            TokenHash = Secrets.Hash(token),
            StackId = caller.StackId,
            UserId = caller.UserId,
            ClientId = clientId,
            ExpiresAt = time.GetUtcNow().ToUnixTimeSeconds() + options.Value.OemSessionSeconds,
        });
        await db.SaveChangesAsync(ct);
        return ApiResults.Ok(token);
    }

    /// <summary>
    /// Consumes a session token (a conditional UPDATE: only one request can) and opens the embedded admin.
    /// The admin UI itself is not part of Tessera yet: the page names the user and the stack.
    /// </summary>
    public static async Task<IResult> Open(HttpContext context, TesseraDbContext db, TimeProvider time, CancellationToken ct)
    {
        var sessionId = context.Request.Query["session_id"].ToString();
        if (sessionId.Length is 0 or > 256)
        {
            return Refused();
        }

        var hash = Secrets.Hash(sessionId);
        var now = time.GetUtcNow().ToUnixTimeSeconds();
        var consumed = await db.OemSessions.Where(s => s.TokenHash == hash && s.UsedAt == null && s.ExpiresAt > now)
            .ExecuteUpdateAsync(s => s.SetProperty(x => x.UsedAt, now), ct);
        if (consumed == 0)
        {
            return Refused();
        }

        var opened = await (
            from session in db.OemSessions
            where session.TokenHash == hash
            join user in db.Users.Active() on session.UserId equals user.Id
            join stack in db.Stacks on session.StackId equals stack.Id
            select new { user.Username, Stack = stack.Name }).SingleOrDefaultAsync(ct);
        return opened is null
            ? Refused()
            : OAuthPages.Message(200, "Tessera admin", $"Signed in as {opened.Username} on stack {opened.Stack}.");
    }

    private static IResult Refused() =>
        OAuthPages.Message(401, "Session not valid", "This admin session is unknown, was already used or has expired. Reload the page that embeds it.");
}
