namespace Tessera.Server.Compat;

/// <summary>
/// Endpoint metadata: the endpoint answers the API gateway's refusals (an unreadable body, the rate
/// limit) in its own format instead of the envelope, e.g. the OAuth token endpoint's RFC 6749 JSON
/// and the login page's HTML.
/// </summary>
public sealed record ApiRefusalFormat(Func<ApiError, IResult> Answer);
