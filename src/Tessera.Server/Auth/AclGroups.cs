namespace Tessera.Server.Auth;

/// <summary>The Stackla ACL groups a user belongs to (ids 1–3 on the wire), as flags.</summary>
[Flags]
public enum AclGroups
{
    None = 0,
    Admin = 1 << 1,
    Moderator = 1 << 2,
    Developer = 1 << 3,
}

public static class AclGroupIds
{
    private static readonly (int Id, AclGroups Group)[] All = [(1, AclGroups.Admin), (2, AclGroups.Moderator), (3, AclGroups.Developer)];

    public static IReadOnlyList<int> ToIds(AclGroups groups) => [.. All.Where(g => groups.HasFlag(g.Group)).Select(g => g.Id)];

    public static AclGroups? FromId(int id) => All.Where(g => g.Id == id).Select(g => (AclGroups?)g.Group).FirstOrDefault();
}
