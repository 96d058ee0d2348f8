using System.Net;
using System.Net.Http.Headers;
using Microsoft.Extensions.DependencyInjection;
using Tessera.Server.Auth;
using Tessera.Server.Data;
using Tessera.Tests.Infrastructure;

namespace Tessera.Tests.Auth;

[Collection(ApiCollection.Name)]
public sealed class AuthenticationTests(TesseraFactory factory)
{
    [Fact]
    public async Task Access_token_query_parameter_authenticates()
    {
        var api = await factory.NewStackClientAsync();
        (await api.GetAsync("tags")).AssertOk();
    }

    [Fact]
    public async Task X_access_token_header_authenticates()
    {
        var api = await factory.NewStackClientAsync();
        var response = await api.SendAsync(HttpMethod.Get, $"/api/tags?stack={api.Stack}", configure: r => r.Headers.Add("x-access-token", api.Token));
        response.AssertOk();
    }

    [Fact]
    public async Task Bearer_authorization_header_authenticates()
    {
        var api = await factory.NewStackClientAsync();
        var response = await api.SendAsync(HttpMethod.Get, "/api/tags", configure: r => r.Headers.Authorization = new AuthenticationHeaderValue("Bearer", api.Token));
        response.AssertOk();
    }

    [Fact]
    public async Task Legacy_api_key_parameter_authenticates()
    {
        var api = await factory.NewStackClientAsync();
        (await api.SendAsync(HttpMethod.Get, $"/api/tags?api_key={api.Token}&stack={api.Stack}")).AssertOk();
    }

    [Fact]
    public async Task Access_token_in_a_form_body_authenticates()
    {
        var api = await factory.NewStackClientAsync();
        var response = await api.SendAsync(HttpMethod.Post, "/api/tags",
            new StringContent($"access_token={api.Token}&stack={api.Stack}&tag=Body+auth&type=content", System.Text.Encoding.UTF8, "application/x-www-form-urlencoded"));
        response.AssertOk();
        Assert.Equal("Body auth", response.Data.GetProperty("tag").GetString());
    }

    [Fact]
    public async Task Missing_token_is_401_in_the_envelope()
    {
        var api = await factory.NewStackClientAsync();
        var response = await api.SendAsync(HttpMethod.Get, $"/api/tags?stack={api.Stack}");
        response.AssertError(HttpStatusCode.Unauthorized, 1010401, "request:missing_token");
    }

    [Fact]
    public async Task Empty_access_token_is_treated_as_missing()
    {
        var api = await factory.NewStackClientAsync();
        var response = await api.SendAsync(HttpMethod.Get, $"/api/tags?access_token=&stack={api.Stack}");
        response.AssertError(HttpStatusCode.Unauthorized, 1010401, "request:missing_token");
    }

    [Fact]
    public async Task Unknown_token_is_401()
    {
        var api = await factory.NewStackClientAsync();
        var response = await api.SendAsync(HttpMethod.Get, $"/api/tags?access_token={new string('a', 64)}&stack={api.Stack}");
        response.AssertError(HttpStatusCode.Unauthorized, 1010401, "request:invalid_token");
    }

    [Fact]
    public async Task Stack_parameter_that_is_not_the_tokens_stack_is_401()
    {
        var api = await factory.NewStackClientAsync();
        var other = await factory.CreateStackAsync();
        var response = await api.SendAsync(HttpMethod.Get, $"/api/tags?access_token={api.Token}&stack={other.Stack}");
        response.AssertError(HttpStatusCode.Unauthorized, 1010401, "request:stack_mismatch");
    }

    [Fact]
    public async Task Revoked_and_expired_tokens_are_401()
    {
        var stack = await factory.CreateStackAsync();
        var revoked = await factory.IssueTokenAsync(stack, AclGroups.Admin, TokenScope.ReadWrite, t => t.RevokedAt = 1);
        var expired = await factory.IssueTokenAsync(stack, AclGroups.Admin, TokenScope.ReadWrite, t => t.ExpiresAt = 1);
        var client = factory.CreateClient();

        foreach (var token in new[] { revoked, expired })
        {
            var response = await new ApiClient(client, stack.Stack, token).GetAsync("tags");
            response.AssertError(HttpStatusCode.Unauthorized, 1010401, "request:invalid_token");
        }
    }

    [Fact]
    public async Task Read_only_token_may_get_but_not_write()
    {
        var stack = await factory.CreateStackAsync();
        var token = await factory.IssueTokenAsync(stack, AclGroups.Admin, TokenScope.Read);
        var api = new ApiClient(factory.CreateClient(), stack.Stack, token);

        (await api.GetAsync("tags")).AssertOk();
        (await api.PostFormAsync("tags", "tag=Nope&type=content")).AssertError(HttpStatusCode.Forbidden, 1070403, "tag:read_only_token");
        Assert.Equal(0, (await api.GetAsync("tags")).Data.GetArrayLength());
    }

    [Theory]
    [InlineData(AclGroups.Admin, true)]
    [InlineData(AclGroups.Moderator, true)]
    [InlineData(AclGroups.Developer, true)]
    [InlineData(AclGroups.None, false)]
    public async Task Acl_groups_gate_the_tags_api(AclGroups groups, bool allowed)
    {
        var stack = await factory.CreateStackAsync();
        var api = new ApiClient(factory.CreateClient(), stack.Stack, await factory.IssueTokenAsync(stack, groups, TokenScope.ReadWrite));

        var response = await api.PostFormAsync("tags", "tag=Gated&type=content");
        if (allowed)
        {
            response.AssertOk();
        }
        else
        {
            response.AssertError(HttpStatusCode.Forbidden, 1070403, "tag:forbidden");
        }
    }

    [Fact]
    public async Task Tokens_are_stored_only_as_hashes()
    {
        var stack = await factory.CreateStackAsync();
        await using var scope = factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<TesseraDbContext>();
        var stored = db.AccessTokens.Single(t => t.StackId == stack.StackId);
        Assert.NotEqual(stack.AccessToken, stored.TokenHash);
        Assert.Equal(Secrets.Hash(stack.AccessToken), stored.TokenHash);
        Assert.Equal(64, stack.AccessToken.Length);
    }
}

public sealed class AccessPolicyTests
{
    [Theory]
    [InlineData(AclGroups.Admin, ApiArea.Users, false, true)]
    [InlineData(AclGroups.Developer, ApiArea.Users, true, false)]
    [InlineData(AclGroups.Developer, ApiArea.Widgets, false, true)]
    [InlineData(AclGroups.Moderator, ApiArea.Tiles, false, true)]
    [InlineData(AclGroups.Moderator, ApiArea.Tags, false, true)]
    [InlineData(AclGroups.Moderator, ApiArea.ModerationViews, false, true)]
    [InlineData(AclGroups.Moderator, ApiArea.Filters, true, true)]
    [InlineData(AclGroups.Moderator, ApiArea.Filters, false, false)]
    [InlineData(AclGroups.Moderator, ApiArea.Widgets, true, false)]
    [InlineData(AclGroups.Moderator, ApiArea.Users, true, false)]
    [InlineData(AclGroups.Moderator | AclGroups.Developer, ApiArea.Filters, false, true)]
    [InlineData(AclGroups.None, ApiArea.Tags, true, false)]
    public void Groups_grant_areas_as_decided(AclGroups groups, ApiArea area, bool isRead, bool allowed) =>
        Assert.Equal(allowed, AccessPolicy.Allows(groups, area, isRead));
}
