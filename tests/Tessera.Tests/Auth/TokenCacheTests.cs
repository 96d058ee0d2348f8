using System.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Tessera.Server.Auth;
using Tessera.Server.Data;
using Tessera.Tests.Infrastructure;

namespace Tessera.Tests.Auth;

[Collection(ApiCollection.Name)]
public sealed class TokenCacheTests(TesseraFactory factory)
{
    [Fact]
    public async Task A_revoked_token_is_refused_on_the_next_request_once_the_cache_is_invalidated()
    {
        var api = await factory.NewStackClientAsync();
        (await api.GetAsync("tags")).AssertOk(); // now cached

        await RevokeAllTokensAsync(api.StackId);
        (await api.GetAsync("tags")).AssertOk(); // still within the cache TTL: documented behaviour

        factory.Services.GetRequiredService<TokenCache>().Invalidate();
        (await api.GetAsync("tags")).AssertError(HttpStatusCode.Unauthorized, 1010401, "request:invalid_token");
    }

    [Fact]
    public async Task With_the_cache_off_every_request_sees_a_revocation()
    {
        await using var uncached = factory.With(("Tessera:Auth:TokenCacheSeconds", "0"));
        var stack = await factory.CreateStackAsync();
        var api = new ApiClient(uncached.CreateClient(), stack.Stack, stack.AccessToken, stack.StackId);
        (await api.GetAsync("tags")).AssertOk();

        await RevokeAllTokensAsync(stack.StackId);
        (await api.GetAsync("tags")).AssertError(HttpStatusCode.Unauthorized, 1010401, "request:invalid_token");
    }

    private async Task RevokeAllTokensAsync(int stackId)
    {
        await using var scope = factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<TesseraDbContext>();
        await db.AccessTokens.Where(t => t.StackId == stackId).ExecuteUpdateAsync(s => s.SetProperty(t => t.RevokedAt, 1L));
    }
}

public sealed class TokenCacheUnitTests
{
    private static readonly ApiCaller Caller = new(1, 1, "s", 1, AclGroups.Admin, TokenScope.ReadWrite);

    [Fact]
    public void Entries_expire_after_the_ttl_and_never_outlive_the_token()
    {
        var time = new FakeTimeProvider(DateTimeOffset.FromUnixTimeSeconds(1_000));
        var cache = new TokenCache(time, Options.Create(new AuthOptions { TokenCacheSeconds = 30 }));
        cache.Add("long", Caller, tokenExpiresAt: null, cache.Generation);
        cache.Add("short", Caller, tokenExpiresAt: 1_010, cache.Generation);

        time.Advance(TimeSpan.FromSeconds(10));
        Assert.True(cache.TryGet("long", out _));
        Assert.False(cache.TryGet("short", out _));

        time.Advance(TimeSpan.FromSeconds(20));
        Assert.False(cache.TryGet("long", out _));
    }

    [Fact]
    public void A_lookup_that_raced_an_invalidation_is_not_reused()
    {
        var cache = new TokenCache(new FakeTimeProvider(), Options.Create(new AuthOptions()));
        var generationBeforeLookup = cache.Generation;
        cache.Invalidate(); // a revocation commits while the lookup runs
        cache.Add("token", Caller, null, generationBeforeLookup);
        Assert.False(cache.TryGet("token", out _));
    }
}
