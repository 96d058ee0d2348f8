using System.Reflection;

namespace Tessera.Server.Auth;

/// <summary>
/// The authenticated caller of an API request: whose stack, which user, what rights. Set by the
/// API gateway; handlers take it as a parameter.
/// </summary>
public sealed record ApiCaller(long TokenId, int StackId, string StackName, int UserId, AclGroups Groups, TokenScope Scope, int? OAuthClientId = null)
{
    /// <summary>The rate-limit bucket of this caller: its token, or its app for tokens issued through OAuth (decisions §2.9).</summary>
    public string RateLimitKey => OAuthClientId is { } client ? $"client:{client}" : $"token:{TokenId}";

    public static ValueTask<ApiCaller?> BindAsync(HttpContext context, ParameterInfo parameter) =>
        ValueTask.FromResult<ApiCaller?>(context.Features.Get<ApiCaller>()
            ?? throw new InvalidOperationException($"{parameter.Name}: the endpoint has no ApiAccess metadata, so no caller was authenticated"));
}
