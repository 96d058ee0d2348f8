using Microsoft.AspNetCore.DataProtection;
using Tessera.Server.Auth;
using Tessera.Server.Compat;

namespace Tessera.Server.Features.OAuth;

/// <summary>OAuth2 for third-party apps (reference §1.2.1, decisions §2.14): <c>/api/oauth2/*</c> and <c>/api/oemsession</c>.</summary>
public static class OAuthEndpoints
{
    public static void MapOAuth(this IEndpointRouteBuilder routes)
    {
        // No ApiAccess metadata: these take no token (the gateway still limits them per address).
        routes.MapMethods("/api/oauth2/authenticate", [HttpMethods.Get, HttpMethods.Post], AuthorizeEndpoint.Authorize)
            .WithMetadata(new ApiRefusalFormat(e => OAuthPages.Error(e.Code, "Request refused", e.Message)))
            .WithTags("OAuth").WithSummary("OAuth2 authorization endpoint: login form, consent page, redirect with code and state");
        routes.Map("/api/oauth2/token", TokenEndpoint.Token)
            .WithMetadata(new ApiRefusalFormat(OAuthJson.Refusal))
            .WithTags("OAuth").WithSummary("OAuth2 token endpoint: authorization_code and refresh_token grants; answers are not enveloped")
            .ExcludeFromDescription();
        routes.MapPost("/api/oemsession", OemSessionEndpoints.Create)
            .RequireApiAccess(ApiArea.Session, ApiResource.Request)
            .WithTags("OAuth").WithSummary("Exchange the caller's token for an Embeddable Admin UI session token (single use, 60 s)");
        routes.MapGet("/oem/session", OemSessionEndpoints.Open).ExcludeFromDescription();
    }

    public static void AddTesseraOAuth(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<OAuthOptions>()
            .Bind(configuration.GetSection(OAuthOptions.Section))
            .Validate(o => o.IsValid(), $"{OAuthOptions.Section}: CodeSeconds 1–600, AccessTokenDays 1–3650, RefreshTokenDays from AccessTokenDays to 3650, LockoutFailures 1–100, LockoutMinutes 1–1440, FormMinutes 1–60, OemSessionSeconds 1–600")
            .ValidateOnStart();
        var protection = services.AddDataProtection().SetApplicationName("Tessera");
        if (configuration[$"{OAuthOptions.Section}:KeysPath"] is { Length: > 0 } keys)
        {
            protection.PersistKeysToFileSystem(new DirectoryInfo(keys));
        }

        services.AddSingleton<OAuthForms>();
        services.AddScoped<OAuthClients>();
        services.AddScoped<OAuthLogin>();
        services.AddScoped<OAuthTokens>();
    }
}
