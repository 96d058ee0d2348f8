namespace Tessera.Server.Features.Users;

/// <summary>The two sets of users the features ask for, named once.</summary>
public static class UserQueries
{
    /// <summary>The users of a stack that are not removed: the Users API's users, pending ones included.</summary>
    public static IQueryable<User> Members(this IQueryable<User> users, int stackId) =>
        users.Where(u => u.StackId == stackId && u.RemovedAt == null);

    /// <summary>Users that may act: not removed, and not pending (an invited user acts once they accept).</summary>
    public static IQueryable<User> Active(this IQueryable<User> users) =>
        users.Where(u => u.RemovedAt == null && u.InvitationHash == null);
}
