using Tessera.Server.Auth;
using Tessera.Server.Compat;

namespace Tessera.Server.Features.ModerationViews;

/// <summary>The Moderation views API (reference §2.6): <c>/api/moderationviews</c>.</summary>
public static class ModerationViewEndpoints
{
    private const ApiResource Resource = ApiResource.ModerationViews;

    public static void MapModerationViews(this IEndpointRouteBuilder routes)
    {
        _ = routes.MapGroup("/api/moderationviews").RequireApiAccess(ApiArea.ModerationViews, Resource).WithTags("Moderation views");
    }
}
