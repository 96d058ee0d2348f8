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

/// <summary>The wire ids of the ACL groups: <c>1</c> Admin, <c>2</c> Moderator, <c>3</c> Developer.</summary>
public static class AclGroupIds
{
    public const int Admin = 1;
    public const int Moderator = 2;
    public const int Developer = 3;

    /// <summary>The ids of <paramref name="groups"/>, ascending.</summary>
    public static int[] Of(AclGroups groups) =>
    [
        .. groups.HasFlag(AclGroups.Admin) ? [Admin] : Array.Empty<int>(),
        .. groups.HasFlag(AclGroups.Moderator) ? [Moderator] : Array.Empty<int>(),
        .. groups.HasFlag(AclGroups.Developer) ? [Developer] : Array.Empty<int>(),
    ];

    /// <summary>The group of a wire id, or null for an unknown id.</summary>
    public static AclGroups? Group(int id) => id switch
    {
        Admin => AclGroups.Admin,
        Moderator => AclGroups.Moderator,
        Developer => AclGroups.Developer,
        _ => null,
    };
}
