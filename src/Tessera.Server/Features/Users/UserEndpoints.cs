using Tessera.Server.Auth;
using Tessera.Server.Compat;

namespace Tessera.Server.Features.Users;

/// <summary>The Users API (reference §2.7): <c>/api/users</c>.</summary>
public static class UserEndpoints
{
    private const ApiResource Resource = ApiResource.Users;

    public static void MapUsers(this IEndpointRouteBuilder routes)
    {
        _ = routes.MapGroup("/api/users").RequireApiAccess(ApiArea.Users, Resource).WithTags("Users");
    }
}
