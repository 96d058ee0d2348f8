using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Tessera.Server.Auth;
using Tessera.Server.Data;
using Tessera.Server.Features.Stacks;
using Tessera.Tests.Infrastructure;

namespace Tessera.Tests.Users;

/// <summary>Users of a test stack: a new user in some groups, with their token and id.</summary>
internal static class UserTestData
{
    public static async Task<(int UserId, ApiClient Api)> AddUserAsync(TesseraFactory factory, StackCreated stack, AclGroups groups)
    {
        var userId = 0;
        var token = await factory.IssueTokenAsync(stack, groups, TokenScope.ReadWrite, t => userId = t.UserId);
        return (userId, new ApiClient(factory.CreateClient(), stack.Stack, token, stack.StackId));
    }

    public static ApiClient AdminClient(TesseraFactory factory, StackCreated stack) =>
        new(factory.CreateClient(), stack.Stack, stack.AccessToken, stack.StackId);

    /// <summary>The stack's users in the Admin group that are not removed.</summary>
    public static async Task<int> CountAdminsAsync(TesseraFactory factory, int stackId)
    {
        await using var scope = factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<TesseraDbContext>();
        var groups = await db.Users.Where(u => u.StackId == stackId && u.RemovedAt == null).Select(u => u.AclGroups).ToListAsync();
        return groups.Count(g => g.HasFlag(AclGroups.Admin));
    }

    /// <summary>Changes a user row directly (e.g. to expire an invitation).</summary>
    public static async Task UpdateUserAsync(TesseraFactory factory, int userId, Action<Server.Features.Users.User> change)
    {
        await using var scope = factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<TesseraDbContext>();
        var user = await db.Users.FindAsync(userId) ?? throw new InvalidOperationException($"no user {userId}");
        change(user);
        await db.SaveChangesAsync();
    }
}
