using Microsoft.AspNetCore.Diagnostics;
using Scalar.AspNetCore;
using Tessera.Server.Auth;
using Tessera.Server.Caching;
using Tessera.Server.Compat;
using Tessera.Server.Data;
using Tessera.Server.Features.Collectors;
using Tessera.Server.Features.ContentApi;
using Tessera.Server.Features.Filters;
using Tessera.Server.Features.Media;
using Tessera.Server.Features.ModerationViews;
using Tessera.Server.Features.OAuth;
using Tessera.Server.Features.Rules;
using Tessera.Server.Features.Stacks;
using Tessera.Server.Features.Tags;
using Tessera.Server.Features.Terms;
using Tessera.Server.Features.Tiles;
using Tessera.Server.Features.Users;
using Tessera.Server.Features.Webhooks;
using Tessera.Server.Features.Widgets;
using Tessera.Server.Outbound;
using Tessera.Server.RateLimiting;

namespace Tessera.Server.Hosting;

/// <summary>Builds the web server: services, the /api pipeline and the route tables of every feature.</summary>
public static class TesseraServer
{
    public static WebApplication Build(string[] args)
    {
        var builder = WebApplication.CreateBuilder(args);
        builder.WebHost.ConfigureKestrel(k =>
        {
            k.Limits.MaxRequestBodySize = ApiRequestReader.MaxMultipartBytes;
            // The PHP SDK sends all PUT data in the query string; 8 KB (Kestrel's default) is too little for long texts.
            k.Limits.MaxRequestLineSize = ApiRequestReader.MaxQueryBytes;
        });
        AddServices(builder.Services, builder.Configuration);
        builder.Services.AddHostedService<DatabaseMigrator>();
        builder.Services.AddHostedService<DemoStackSeeder>();
        builder.Services.AddHostedService<FeedCollector>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<TileWriter>());
        builder.Services.AddHostedService(sp => sp.GetRequiredService<WebhookDispatcher>());
        builder.Services.AddHostedService<RuleApplyWorker>();
        builder.Services.AddOpenApi();

        var app = builder.Build();
        UsePipeline(app);
        return app;
    }

    /// <summary>The services shared by the server and the admin verbs.</summary>
    public static void AddServices(IServiceCollection services, IConfiguration configuration)
    {
        services.AddSingleton(TimeProvider.System);
        services.AddTesseraDatabase(configuration);
        services.AddScoped<StackProvisioner>();
        services.AddScoped<TileMediaIngestor>();
        services.AddSingleton<TileWriter>();
        services.AddScoped<TokenAuthenticator>();
        services.AddSingleton<TokenCache>();
        services.Configure<AuthOptions>(configuration.GetSection(AuthOptions.Section));
        services.AddOptions<RateLimitOptions>()
            .Bind(configuration.GetSection(RateLimitOptions.Section))
            .Validate(o => o.Requests > 0 && o.WindowSeconds > 0 && o.ReservedForPreview >= 0, "Tessera:RateLimit: Requests and WindowSeconds must be positive")
            .Validate(o => o.ExceededStatus is 403 or 429, "Tessera:RateLimit:ExceededStatus must be 403 or 429")
            .ValidateOnStart();
        services.AddSingleton<IRateLimitStore, InMemoryRateLimitStore>();
        services.AddTesseraMedia(configuration);
        services.AddTesseraOutbound(configuration);
        services.AddTesseraCollectors(configuration);
        services.AddTesseraRules(configuration);
        services.Configure<PageCacheOptions>(configuration.GetSection(PageCacheOptions.Section));
        services.AddSingleton<PageCache>();
        services.AddSingleton<TileJsonCache>();
        services.AddSingleton<PluginDirectory>();
        services.AddTesseraWebhooks(configuration);
        services.AddTesseraOAuth(configuration);
        services.Configure<PublicUrlOptions>(configuration.GetSection(PublicUrlOptions.Section));
        services.AddSingleton<PublicUrl>();
        services.AddScoped<UserInvitations>();
    }

    private static void UsePipeline(WebApplication app)
    {
        app.UseExceptionHandler(failed => failed.Run(WriteUnhandledError));
        app.UseStatusCodePages(WriteBodilessError);
        app.UseMiddleware<ResponseFormatMiddleware>();
        app.UseTesseraMedia();
        app.UseRouting();
        app.UseWhen(c => c.Request.Path.StartsWithSegments("/api"), api => api.UseMiddleware<ApiGateway>());

        app.MapOpenApi("/openapi/{documentName}.json");
        app.MapScalarApiReference("/docs", o => o.WithTitle("Tessera API").WithOpenApiRoutePattern("/openapi/{documentName}.json"));
        app.MapGet("/", () => Results.Redirect("/docs")).ExcludeFromDescription();

        app.MapTags();
        app.MapTerms();
        app.MapFilters();
        app.MapTiles();
        app.MapTileChanges();
        app.MapRules();
        app.MapContentApiSettings();
        app.MapWebhooks();
        app.MapWidgets();
        app.MapModerationViews();
        app.MapUsers();
        app.MapOAuth();
        app.MapPublicContent();

        app.MapFallback("/api/{**path}", (HttpContext context) =>
            ApiResults.Error(ApiResource.Request, 404, "not_found", $"no resource at {context.Request.Method} {context.Request.Path}"))
            .ExcludeFromDescription();
    }

    /// <summary>An /api status without a body (405 from routing, say) still gets an envelope.</summary>
    private static Task WriteBodilessError(StatusCodeContext status)
    {
        var context = status.HttpContext;
        if (!context.Request.Path.StartsWithSegments("/api"))
        {
            return Task.CompletedTask;
        }

        var code = context.Response.StatusCode;
        var reason = code == 405 ? "method_not_allowed" : "error";
        return ApiResults.Error(ApiResource.Request, code, reason, $"{context.Request.Method} {context.Request.Path} failed with HTTP {code}").ExecuteAsync(context);
    }

    /// <summary>Any failure no handler answered: an envelope without details, logged with them.</summary>
    private static async Task WriteUnhandledError(HttpContext context)
    {
        var exception = context.Features.Get<IExceptionHandlerFeature>()?.Error;
        var error = exception switch
        {
            BadHttpRequestException bad => ApiError.Create(ApiResource.Request, bad.StatusCode, "bad_request", "the request could not be read"),
            _ when DbErrors.IsUnavailable(exception) => ApiError.Create(ApiResource.Request, 503, "database_unavailable", "the database is busy or unreachable; retry shortly"),
            OperationCanceledException when context.RequestAborted.IsCancellationRequested => null,
            _ => ApiError.Create(ApiResource.Request, 500, "internal_error", "an internal error occurred; it has been logged"),
        };
        if (error?.Code == 503)
        {
            context.Response.Headers.RetryAfter = "1";
        }

        if (error is not null)
        {
            await ApiResults.Error(error).ExecuteAsync(context);
        }
    }
}
