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
