using System.Net;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Tessera.Server.Auth;
using Tessera.Tests.Infrastructure;

namespace Tessera.Tests.Auth;

/// <summary>
/// Decisions §2.2 as a matrix: every /api endpoint of the running server, called by a user of each
/// ACL group, is refused with 403 exactly when the group may not use it. The expectations are
/// written out here (not read from <see cref="AccessPolicy"/>), so a change of the policy or an
/// endpoint in the wrong area fails.
/// </summary>
[Collection(ApiCollection.Name)]
public sealed partial class AclMatrixTests(TesseraFactory factory)
{
    /// <summary>Per area: may the group read (GET), may it write (any other verb)?</summary>
    private static readonly Dictionary<ApiArea, (AclGroups Read, AclGroups Write)> Expected = new()
    {
        [ApiArea.Tiles] = (All, All),
        [ApiArea.Tags] = (All, All),
        [ApiArea.ModerationViews] = (All, All),
        [ApiArea.Filters] = (All, AclGroups.Admin | AclGroups.Developer),
        [ApiArea.Terms] = (AdminOrDeveloper, AdminOrDeveloper),
        [ApiArea.Widgets] = (AdminOrDeveloper, AdminOrDeveloper),
        [ApiArea.Rules] = (AdminOrDeveloper, AdminOrDeveloper),
        [ApiArea.Webhooks] = (AdminOrDeveloper, AdminOrDeveloper),
        [ApiArea.ContentApi] = (AdminOrDeveloper, AdminOrDeveloper),
        [ApiArea.Users] = (AclGroups.Admin, AclGroups.Admin),
        [ApiArea.Session] = (All, All),
    };

    private const AclGroups All = AclGroups.Admin | AclGroups.Moderator | AclGroups.Developer;
    private const AclGroups AdminOrDeveloper = AclGroups.Admin | AclGroups.Developer;

    [Fact]
    public void Every_area_of_the_server_has_expectations()
    {
        var areas = ApiEndpoints().Select(e => e.Access.Area).Distinct();

        Assert.All(areas, area => Assert.True(Expected.ContainsKey(area), $"no ACL expectation for {area}"));
        Assert.All(Enum.GetValues<ApiArea>(), area => Assert.Contains(area, areas));
    }

    [Theory]
    [InlineData(AclGroups.Admin)]
    [InlineData(AclGroups.Moderator)]
    [InlineData(AclGroups.Developer)]
    [InlineData(AclGroups.Moderator | AclGroups.Developer)]
    [InlineData(AclGroups.None)]
    public async Task Each_group_is_refused_exactly_the_endpoints_decisions_deny_it(AclGroups groups)
    {
        var stack = await factory.CreateStackAsync();
        var token = await factory.IssueTokenAsync(stack, groups, TokenScope.ReadWrite);
        var http = factory.CreateClient();
        var mismatches = new List<string>();

        foreach (var (method, path, access) in ApiEndpoints())
        {
            var isRead = method == "GET";
            var allowedGroups = isRead ? Expected[access.Area].Read : Expected[access.Area].Write;
            var allowed = (groups & allowedGroups) != AclGroups.None;
            var separator = path.Contains('?', StringComparison.Ordinal) ? '&' : '?';
            using var request = new HttpRequestMessage(new HttpMethod(method), $"{path}{separator}stack={stack.Stack}&access_token={token}");
            using var response = await http.SendAsync(request);
            var body = await response.Content.ReadAsStringAsync();
            var refused = response.StatusCode == HttpStatusCode.Forbidden && body.Contains(":forbidden\"", StringComparison.Ordinal);
            if (refused == allowed)
            {
                mismatches.Add($"{method} {path}: expected {(allowed ? "allowed" : "403")}, got {(int)response.StatusCode} {body}");
            }
        }

        Assert.True(mismatches.Count == 0, string.Join("\n", mismatches));
    }

    /// <summary>Every /api endpoint with its area, route parameters filled with ids no stack has.</summary>
    private IEnumerable<(string Method, string Path, ApiAccess Access)> ApiEndpoints()
    {
        var sources = factory.Services.GetRequiredService<IEnumerable<EndpointDataSource>>();
        foreach (var endpoint in sources.SelectMany(s => s.Endpoints).OfType<RouteEndpoint>())
        {
            var access = endpoint.Metadata.GetMetadata<ApiAccess>();
            var methods = endpoint.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? [];
            if (access is null)
            {
                continue;
            }

            var path = RouteParameter().Replace("/" + endpoint.RoutePattern.RawText!.TrimStart('/'), m =>
                m.Groups["name"].Value == "tileId" ? "ffffffffffffffffffffffff" : "999999999");
            foreach (var method in methods)
            {
                yield return (method, path, access);
            }
        }
    }

    [GeneratedRegex(@"\{(?<name>[A-Za-z]+)(:[a-z]+)?\}")]
    private static partial Regex RouteParameter();
}
