using Tessera.Server.Auth;
using Tessera.Server.Compat;

namespace Tessera.Server.Features.Widgets;

/// <summary>The Widgets API (reference §2.5, decisions §2.13): <c>/api/widgets</c>.</summary>
public static class WidgetEndpoints
{
    private const ApiResource Resource = ApiResource.Widgets;

    public static void MapWidgets(this IEndpointRouteBuilder routes)
    {
        _ = routes.MapGroup("/api/widgets").RequireApiAccess(ApiArea.Widgets, Resource).WithTags("Widgets");
    }
}
