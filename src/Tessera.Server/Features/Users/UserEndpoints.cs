using Microsoft.EntityFrameworkCore;
using Tessera.Server.Auth;
using Tessera.Server.Compat;
using Tessera.Server.Data;

namespace Tessera.Server.Features.Users;

/// <summary>
/// The Users API (reference §2.7): <c>/api/users</c>. Users are invited (<c>POST /api/users/invite</c>,
/// a preview endpoint, or <c>tessera user invite</c>), never created directly. Only Admins reach
/// this area (decisions §2.2). A stack always keeps at least one active Admin.
/// </summary>
public static class UserEndpoints
{
    private const ApiResource Resource = ApiResource.Users;

    private static readonly string[] OrderColumns = ["id", "name", "surname", "email", "username", "created"];

    public static void MapUsers(this IEndpointRouteBuilder routes)
    {
        var users = routes.MapGroup("/api/users").WithTags("Users");
        users.MapGet("/", ListUsers).RequireApiAccess(ApiArea.Users, Resource).WithSummary("List the stack's users");
        users.MapGet("/{userId:int}", GetUser).RequireApiAccess(ApiArea.Users, Resource).WithSummary("Get a user");
        users.MapPut("/{userId:int}", UpdateUser).RequireApiAccess(ApiArea.Users, Resource).WithSummary("Update a user's profile or groups");
        users.MapDelete("/{userId:int}", DeleteUser).RequireApiAccess(ApiArea.Users, Resource)
            .WithSummary("Remove a user from the stack and revoke their tokens; returns the removed user");
        users.MapPost("/invite", InviteUser).AsPreviewEndpoint(ApiArea.Users, Resource)
            .WithSummary("Invite a user: a pending user and a one-time link to set a password (preview)");
        routes.MapInvitationPages();
    }

    public static async Task<IResult> ListUsers(ApiCaller caller, ApiParameters parameters, TesseraDbContext db, CancellationToken ct)
    {
        var f = new FieldReader(parameters, Resource);
        var paging = Paging.Read(f);
        var orderBy = f.Enum("order_by", OrderColumns) ?? "id";
        var descending = (f.Enum("order_by_direction", ["asc", "desc"]) ?? "asc") == "desc";
        if (f.HasErrors)
        {
            return ApiResults.Invalid(f);
        }

        var query = db.Users.AsNoTracking().Members(caller.StackId);
        var ordered = orderBy switch
        {
            "name" => Order(query, u => u.FirstName, descending),
            "surname" => Order(query, u => u.LastName, descending),
            "email" => Order(query, u => u.Email, descending),
            "username" => Order(query, u => u.Username, descending),
            "created" => Order(query, u => u.CreatedAt, descending),
            _ => Order(query, u => u.Id, descending),
        };
        var page = await ordered.Skip(paging.Skip).Take(paging.Limit).ToListAsync(ct);
        return ApiResults.Ok(page.Select(UserWire.From).ToList());
    }

    public static async Task<IResult> GetUser(int userId, ApiCaller caller, TesseraDbContext db, CancellationToken ct)
    {
        var user = await db.Users.AsNoTracking().Members(caller.StackId).FirstOrDefaultAsync(u => u.Id == userId, ct);
        return user is null ? NotFound() : ApiResults.Ok(UserWire.From(user));
    }

    public static async Task<IResult> UpdateUser(
        int userId, ApiCaller caller, ApiParameters parameters, TesseraDbContext db, TokenCache tokens, TimeProvider time, CancellationToken ct)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        await StackLock.AcquireAsync(db, caller.StackId, ct);
        var user = await FindAsync(db, caller, userId, ct);
        if (user is null)
        {
            return NotFound();
        }

        var groupsBefore = user.AclGroups;
        var f = new FieldReader(parameters, Resource);
        UserInput.Apply(f, user);
        if (f.HasErrors)
        {
            return ApiResults.Invalid(f);
        }

        if (db.Entry(user).Property(u => u.Email).IsModified && user.Email is not null && await UserEmails.TakenAsync(db, user.StackId, user.Email, user.Id, ct))
        {
            return ApiResults.Error(Resource, StatusCodes.Status409Conflict, "email_exists", $"email: {user.Email} is another user's address on this stack");
        }

        if (groupsBefore.HasFlag(AclGroups.Admin) && !user.AclGroups.HasFlag(AclGroups.Admin) && await IsLastAdminAsync(db, user, ct))
        {
            return LastAdmin("acl_groups: this is the stack's last Admin; make another user an Admin first");
        }

        user.UpdatedAt = time.GetUtcNow().ToUnixTimeSeconds();
        user.Version++;
        return await SaveAsync(db, transaction, user, tokens, invalidateTokens: groupsBefore != user.AclGroups, ct);
    }

    public static async Task<IResult> DeleteUser(int userId, ApiCaller caller, TesseraDbContext db, TokenCache tokens, TimeProvider time, CancellationToken ct)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        await StackLock.AcquireAsync(db, caller.StackId, ct);
        var user = await FindAsync(db, caller, userId, ct);
        if (user is null)
        {
            return NotFound();
        }

        if (user.AclGroups.HasFlag(AclGroups.Admin) && await IsLastAdminAsync(db, user, ct))
        {
            return LastAdmin("this is the stack's last Admin and cannot be removed; make another user an Admin first");
        }

        var now = time.GetUtcNow().ToUnixTimeSeconds();
        user.RemovedAt = now;
        user.InvitationHash = null;
        user.InvitationExpiresAt = null;
        user.UpdatedAt = now;
        user.Version++;
        await db.AccessTokens.Where(t => t.UserId == user.Id && t.RevokedAt == null)
            .ExecuteUpdateAsync(s => s.SetProperty(t => t.RevokedAt, now), ct);
        return await SaveAsync(db, transaction, user, tokens, invalidateTokens: true, ct);
    }

    public static async Task<IResult> InviteUser(
        ApiCaller caller, ApiParameters parameters, HttpRequest request, UserInvitations invitations, CancellationToken ct)
    {
        var f = new FieldReader(parameters, Resource);
        var email = UserInput.Email(f, "email");
        var groups = f.IsBlank("acl_groups") ? AclGroups.Moderator : UserInput.Groups(f, "acl_groups");
        var name = f.String("name", UserInput.MaxNameLength);
        var surname = f.String("surname", UserInput.MaxNameLength);
        if (f.HasErrors || email is null || groups is null)
        {
            return ApiResults.Invalid(f);
        }

        var (invitation, reason, message) = await invitations.InviteAsync(caller.StackId, email, groups.Value, name, surname, request, ct);
        return invitation is null
            ? ApiResults.Error(Resource, StatusCodes.Status409Conflict, reason!, message!)
            : ApiResults.Ok(invitation);
    }

    private static IOrderedQueryable<User> Order<TKey>(IQueryable<User> users, System.Linq.Expressions.Expression<Func<User, TKey>> key, bool descending) =>
        descending ? users.OrderByDescending(key).ThenByDescending(u => u.Id) : users.OrderBy(key).ThenBy(u => u.Id);

    private static Task<User?> FindAsync(TesseraDbContext db, ApiCaller caller, int userId, CancellationToken ct) =>
        db.Users.Members(caller.StackId).FirstOrDefaultAsync(u => u.Id == userId, ct);

    /// <summary>True when no other active (not removed, not pending) Admin is left on the user's stack. Read under <see cref="StackLock"/>.</summary>
    private static async Task<bool> IsLastAdminAsync(TesseraDbContext db, User user, CancellationToken ct)
    {
        var admins = await db.Users.AsNoTracking()
            .Active().Where(u => u.StackId == user.StackId && u.Id != user.Id)
            .Select(u => u.AclGroups).ToListAsync(ct);
        return !admins.Any(g => g.HasFlag(AclGroups.Admin));
    }

    private static async Task<IResult> SaveAsync(
        TesseraDbContext db, Microsoft.EntityFrameworkCore.Storage.IDbContextTransaction transaction, User user, TokenCache tokens, bool invalidateTokens, CancellationToken ct)
    {
        var outcome = await db.TrySaveAsync(ct);
        if (outcome != SaveOutcome.Saved)
        {
            return ApiResults.SaveFailed(Resource, "user", outcome);
        }

        await transaction.CommitAsync(ct);
        if (invalidateTokens)
        {
            // Cached callers carry the user's groups; a removed user's tokens are revoked.
            tokens.Invalidate();
        }

        return ApiResults.Ok(UserWire.From(user));
    }

    private static IResult LastAdmin(string message) => ApiResults.Error(Resource, StatusCodes.Status409Conflict, "last_admin", message);

    private static IResult NotFound() => ApiResults.NotFound(Resource, "user");
}
