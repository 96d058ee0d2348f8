using System.Globalization;
using Microsoft.Extensions.Options;
using Tessera.Server.Auth;
using Tessera.Server.RateLimiting;

namespace Tessera.Server.Compat;

/// <summary>
/// Everything an /api request goes through before its handler, in order:
/// read the merged parameters → authenticate the token (and match <c>stack</c>) → count it against
/// the rate limit → check the token's scope and the user's ACL group for the endpoint's area.
/// Every refusal is an envelope; rate-limit headers are on every response.
/// </summary>
public sealed class ApiGateway(RequestDelegate next, IRateLimitStore rateLimits, IOptions<RateLimitOptions> rateLimitOptions)
{
    public async Task InvokeAsync(HttpContext context, TokenAuthenticator authenticator)
    {
        var endpoint = context.GetEndpoint();
        var access = endpoint?.Metadata.GetMetadata<ApiAccess>();
        var resource = access?.Resource ?? ApiResource.Request;

        var parameters = ApiParameters.Empty;
        ApiError? unreadable = null;
        try
        {
            parameters = ApiRequestReader.ReadQuery(context.Request);
            parameters = await ApiRequestReader.ReadBodyAsync(context.Request, parameters, context.RequestAborted);
        }
        catch (ApiInputException e)
        {
            // Refused below, after it is counted like any other request; the query (if it was readable) still authenticates.
            unreadable = ApiError.Create(resource, e.StatusCode, e.StatusCode == 413 ? "body_too_large" : "invalid_request", e.Message);
        }

        context.Features.Set(parameters);
        var credential = TokenAuthenticator.FindCredential(context.Request, parameters);
        var caller = credential is null ? null : await authenticator.AuthenticateAsync(credential, context.RequestAborted);

        // Unauthenticated requests are limited per address, so guessing tokens is limited too.
        var rateKey = caller?.RateLimitKey ?? $"ip:{context.Connection.RemoteIpAddress}";
        if (!await CountRequest(context, rateKey, access?.Preview ?? false))
        {
            return;
        }

        if (unreadable is not null)
        {
            await Refuse(context, unreadable);
            return;
        }

        // Endpoints without ApiAccess metadata (unknown routes) need no token.
        if (access is null)
        {
            await next(context);
            return;
        }

        if (caller is null)
        {
            await Refuse(context, credential is null
                ? ApiError.Create(ApiResource.Request, 401, "missing_token", "an access token is required (access_token, x-access-token or Authorization: Bearer)")
                : ApiError.Create(ApiResource.Request, 401, "invalid_token", "the access token is not valid"));
            return;
        }

        var stack = parameters.GetQueryText("stack");
        if (!string.IsNullOrEmpty(stack) && !string.Equals(stack, caller.StackName, StringComparison.Ordinal))
        {
            await Refuse(context, ApiError.Create(ApiResource.Request, 401, "stack_mismatch", "the access token does not belong to this stack"));
            return;
        }

        var isRead = HttpMethods.IsGet(context.Request.Method) || HttpMethods.IsHead(context.Request.Method);
        if (!isRead && caller.Scope == TokenScope.Read)
        {
            await Refuse(context, ApiError.Create(resource, 403, "read_only_token", "this access token is read-only"));
            return;
        }

        if (!AccessPolicy.Allows(caller.Groups, access.Area, isRead))
        {
            await Refuse(context, ApiError.Create(resource, 403, "forbidden", "your user group may not use this endpoint"));
            return;
        }

        context.Features.Set(caller);
        await next(context);
    }

    private async Task<bool> CountRequest(HttpContext context, string key, bool preview)
    {
        var options = rateLimitOptions.Value;
        if (!options.Enabled)
        {
            return true;
        }

        var limit = options.Requests + (preview ? options.ReservedForPreview : 0);
        var decision = await rateLimits.TryAcquireAsync(key, limit, options.WindowSeconds, context.RequestAborted);
        var headers = context.Response.Headers;
        headers["X-API-Remaining-Requests"] = decision.Remaining.ToString(CultureInfo.InvariantCulture);
        headers["X-API-Remaining-Requests-Reset"] = decision.ResetSeconds.ToString(CultureInfo.InvariantCulture);
        if (decision.Allowed)
        {
            return true;
        }

        headers.RetryAfter = decision.ResetSeconds.ToString(CultureInfo.InvariantCulture);
        await Refuse(context, ApiError.Create(ApiResource.RateLimit, options.ExceededStatus, "exceeded",
            $"rate limit exceeded: {options.Requests} requests per {options.WindowSeconds} seconds"));
        return false;
    }

    private static Task Refuse(HttpContext context, ApiError error) =>
        (context.GetEndpoint()?.Metadata.GetMetadata<ApiRefusalFormat>() is { } own ? own.Answer(error) : ApiResults.Error(error)).ExecuteAsync(context);
}
