namespace Tessera.Server.Features.OAuth;

/// <summary>OAuth2 for third-party apps (reference §1.2.1, decisions §2.14): <c>/api/oauth2/*</c> and <c>/api/oemsession</c>.</summary>
public static class OAuthEndpoints
{
    public static void MapOAuth(this IEndpointRouteBuilder routes)
    {
        _ = routes;
    }

    public static void AddTesseraOAuth(this IServiceCollection services, IConfiguration configuration)
    {
        _ = services;
        _ = configuration;
    }
}
