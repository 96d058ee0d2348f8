using Tessera.Server.Compat;

namespace Tessera.Server.Auth;

/// <summary>What part of the API an endpoint belongs to; ACL groups are granted per area.</summary>
public enum ApiArea
{
    Tiles,
    Tags,
    Filters,
    Terms,
    Widgets,
    ModerationViews,
    Users,
    Rules,
    Webhooks,
    ContentApi,

    /// <summary>Sessions for the Embeddable Admin UI (<c>/api/oemsession</c>): every group may open one for itself.</summary>
    Session,
}

/// <summary>
/// Endpoint metadata: the area an endpoint belongs to, the resource its errors are reported as,
/// and whether it is a preview endpoint (beyond the Stackla set, decisions §6).
/// </summary>
public sealed record ApiAccess(ApiArea Area, ApiResource Resource, bool Preview = false);

public static class ApiAccessExtensions
{
    public static TBuilder RequireApiAccess<TBuilder>(this TBuilder builder, ApiArea area, ApiResource resource)
        where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(new ApiAccess(area, resource));

    public static TBuilder AsPreviewEndpoint<TBuilder>(this TBuilder builder, ApiArea area, ApiResource resource)
        where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(new ApiAccess(area, resource, Preview: true));
}

/// <summary>
/// Which ACL group may do what (decisions §2.2): Admin everything; Moderator tiles, tags,
/// moderation views and reading filters; Developer everything but users. Everyone may open an
/// Embeddable Admin UI session for themselves.
/// </summary>
public static class AccessPolicy
{
    public static bool Allows(AclGroups groups, ApiArea area, bool isRead)
    {
        if (groups.HasFlag(AclGroups.Admin))
        {
            return true;
        }

        if (area == ApiArea.Session)
        {
            // Any member may open the admin UI as themselves; a user in no group has no rights to open it with.
            return groups != AclGroups.None;
        }

        if (groups.HasFlag(AclGroups.Developer) && area != ApiArea.Users)
        {
            return true;
        }

        return groups.HasFlag(AclGroups.Moderator) && area switch
        {
            ApiArea.Tiles or ApiArea.Tags or ApiArea.ModerationViews => true,
            ApiArea.Filters => isRead,
            _ => false,
        };
    }
}
