using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Tessera.Server.Auth;
using Tessera.Server.Data;
using Tessera.Server.Features.ContentApi;
using Tessera.Server.Features.Filters;
using Tessera.Server.Features.Terms;
using Tessera.Server.Features.Users;

namespace Tessera.Server.Features.Stacks;

/// <summary>What <c>tessera stack create --json</c> prints; the keys are a contract (decisions §1).</summary>
public sealed record StackCreated(string Stack, int StackId, int UserId, string AccessToken, int LatestFilterId, int PostTermId, string ContentApiPluginId);

/// <summary>What <c>tessera token create --json</c> prints.</summary>
public sealed record TokenCreated(string Stack, int StackId, int UserId, string Username, string Scope, string AccessToken);

/// <summary>
/// Creates stacks with everything a new stack starts with: its admin user and a read-write token,
/// the "Latest" filter (all content, newest first), the "UGC Post Feed" term for API posts and the
/// Content API plugin (serving "Latest").
/// </summary>
public sealed partial class StackProvisioner(TesseraDbContext db, TimeProvider time)
{
    public const string AdminUsername = "admin";

    public async Task<StackCreated> CreateAsync(string name, CancellationToken ct)
    {
        if (!StackName().IsMatch(name))
        {
            throw new ArgumentException("a stack name is 1–64 characters of a-z, 0-9, '-' and '_', starting with a letter or digit");
        }

        if (await db.Stacks.AnyAsync(s => s.Name == name, ct))
        {
            throw new ArgumentException($"stack '{name}' already exists");
        }

        var now = time.GetUtcNow().ToUnixTimeSeconds();
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var stack = new Stack { Name = name, CreatedAt = now };
        db.Stacks.Add(stack);
        await db.SaveChangesAsync(ct);

        var admin = new User { StackId = stack.Id, Username = AdminUsername, AclGroups = AclGroups.Admin, CreatedAt = now, UpdatedAt = now };
        var latest = new Filter { StackId = stack.Id, Name = "Latest", Sort = "source_created_at_desc", CreatedAt = now, UpdatedAt = now };
        var postTerm = new Term
        {
            StackId = stack.Id,
            Name = "UGC Post Feed",
            DisplayName = "UGC Post Feed",
            Network = "sta_feed",
            Type = "post",
            ModerateText = "publish",
            ModerateImage = "publish",
            ModerateVideo = "publish",
            CreatedAt = now,
            ModifiedAt = now,
        };
        db.AddRange(admin, latest, postTerm);
        await db.SaveChangesAsync(ct);

        var (token, plain) = AccessToken.Issue(stack.Id, admin.Id, TokenScope.ReadWrite, now);
        db.AccessTokens.Add(token);
        var plugin = ContentApiPlugin.Create(stack.Id, latest.Id, now);
        db.ContentApiPlugins.Add(plugin);
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);

        return new StackCreated(stack.Name, stack.Id, admin.Id, plain, latest.Id, postTerm.Id, plugin.PluginId);
    }

    /// <summary>Issues a new token for a user of a stack (the stack's admin when no user is named).</summary>
    public async Task<TokenCreated> CreateTokenAsync(string stackName, string? username, TokenScope scope, CancellationToken ct)
    {
        var stack = await db.Stacks.SingleOrDefaultAsync(s => s.Name == stackName, ct)
            ?? throw new ArgumentException($"no stack named '{stackName}'");
        username ??= AdminUsername;
        var user = await db.Users.SingleOrDefaultAsync(u => u.StackId == stack.Id && u.Username == username, ct)
            ?? throw new ArgumentException($"stack '{stackName}' has no user '{username}'");

        var (token, plain) = AccessToken.Issue(stack.Id, user.Id, scope, time.GetUtcNow().ToUnixTimeSeconds());
        db.AccessTokens.Add(token);
        await db.SaveChangesAsync(ct);
        return new TokenCreated(stack.Name, stack.Id, user.Id, user.Username, scope == TokenScope.Read ? "r" : "rw", plain);
    }

    [GeneratedRegex("^[a-z0-9][a-z0-9_-]{0,63}$")]
    private static partial Regex StackName();
}
