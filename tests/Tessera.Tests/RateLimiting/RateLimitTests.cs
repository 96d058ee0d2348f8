using System.Net;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Tessera.Server.Hosting;
using Tessera.Server.RateLimiting;
using Tessera.Tests.Infrastructure;

namespace Tessera.Tests.RateLimiting;

[Collection(ApiCollection.Name)]
public sealed class RateLimitTests(TesseraFactory factory)
{
    [Fact]
    public async Task Exactly_450_of_460_concurrent_requests_succeed_and_the_rest_are_403()
    {
        var api = await factory.NewStackClientAsync();
        var responses = await Task.WhenAll(Enumerable.Range(0, 460).Select(_ => api.GetAsync("tags")));

        Assert.True(450 == responses.Count(r => r.Status == HttpStatusCode.OK), string.Join("\n", responses.Where(r => r.Status != HttpStatusCode.OK).Select(r => r.Body).Distinct()));
        var refused = responses.Where(r => r.Status != HttpStatusCode.OK).ToList();
        Assert.Equal(10, refused.Count);
        Assert.All(refused, r =>
        {
            r.AssertError(HttpStatusCode.Forbidden, 1120403, "rate_limit:exceeded");
            Assert.Equal("0", r.Headers["X-API-Remaining-Requests"]);
            Assert.True(int.Parse(r.Headers["Retry-After"], System.Globalization.CultureInfo.InvariantCulture) is > 0 and <= 900);
        });

        // The remaining counts of the successes are 449 … 0, each exactly once.
        var remaining = responses.Where(r => r.Status == HttpStatusCode.OK).Select(r => int.Parse(r.Headers["X-API-Remaining-Requests"], System.Globalization.CultureInfo.InvariantCulture)).Order();
        Assert.Equal(Enumerable.Range(0, 450), remaining);
    }

    [Fact]
    public async Task Every_api_response_carries_the_rate_limit_headers()
    {
        var api = await factory.NewStackClientAsync();
        var first = await api.GetAsync("tags");
        var second = await api.PostFormAsync("tags", "tag=H&type=content");
        var notFound = await api.GetAsync("tags/999999");
        var unknownRoute = await api.GetAsync("nowhere");
        var refused = await api.SendAsync(HttpMethod.Get, $"/api/tags?stack={api.Stack}", configure: r => r.Headers.Add("Accept", "application/xml"));

        Assert.Equal("449", first.Headers["X-API-Remaining-Requests"]);
        Assert.Equal("448", second.Headers["X-API-Remaining-Requests"]);
        Assert.Equal("447", notFound.Headers["X-API-Remaining-Requests"]);
        Assert.Equal("446", unknownRoute.Headers["X-API-Remaining-Requests"]);
        Assert.Equal(HttpStatusCode.Unauthorized, refused.Status); // no token: counted per address, headers all the same
        Assert.True(refused.Headers.ContainsKey("X-API-Remaining-Requests"));
        Assert.True(refused.Headers.ContainsKey("X-API-Remaining-Requests-Reset"));
        var reset = int.Parse(first.Headers["X-API-Remaining-Requests-Reset"], System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(reset, 1, 900);
    }

    [Fact]
    public async Task Each_token_has_its_own_budget()
    {
        var one = await factory.NewStackClientAsync();
        var two = await factory.NewStackClientAsync();
        await one.GetAsync("tags");
        await one.GetAsync("tags");
        Assert.Equal("449", (await two.GetAsync("tags")).Headers["X-API-Remaining-Requests"]);
    }

    [Fact]
    public async Task Limit_window_and_status_are_configurable()
    {
        await using var limited = factory.With(("Tessera:RateLimit:Requests", "3"), ("Tessera:RateLimit:ExceededStatus", "429"), ("Tessera:RateLimit:WindowSeconds", "60"));
        var stack = await factory.CreateStackAsync();
        var api = new ApiClient(limited.CreateClient(), stack.Stack, stack.AccessToken);

        for (var i = 0; i < 3; i++)
        {
            (await api.GetAsync("tags")).AssertOk();
        }

        var refused = await api.GetAsync("tags");
        refused.AssertError(HttpStatusCode.TooManyRequests, 1120429, "rate_limit:exceeded");
        Assert.InRange(int.Parse(refused.Headers["Retry-After"], System.Globalization.CultureInfo.InvariantCulture), 1, 60);
    }

    [Theory]
    [InlineData("Tessera:RateLimit:WindowSeconds", "0")]
    [InlineData("Tessera:RateLimit:Requests", "-1")]
    [InlineData("Tessera:RateLimit:ExceededStatus", "500")]
    public void Invalid_rate_limit_settings_are_refused(string key, string value)
    {
        // The server's own registration (validated on start) refuses the setting.
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { [key] = value, ["ConnectionStrings:Tessera"] = factory.ConnectionString, ["Tessera:Database:Provider"] = factory.Provider })
            .Build();
        var services = new ServiceCollection();
        TesseraServer.AddServices(services, configuration);
        using var provider = services.BuildServiceProvider();
        Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<RateLimitOptions>>().Value);
    }

    [Fact]
    public async Task Requests_without_a_valid_token_are_limited_per_address()
    {
        await using var limited = factory.With(("Tessera:RateLimit:Requests", "2"));
        var client = limited.CreateClient();
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 3; i++)
        {
            statuses.Add((await client.GetAsync($"/api/tags?access_token=guess{i}")).StatusCode);
        }

        Assert.Equal([HttpStatusCode.Unauthorized, HttpStatusCode.Unauthorized, HttpStatusCode.Forbidden], statuses);
    }
}

/// <summary>The store's contract, with a fake clock.</summary>
public sealed class InMemoryRateLimitStoreTests
{
    [Fact]
    public async Task Window_resets_at_the_boundary()
    {
        var time = new FakeTimeProvider(DateTimeOffset.FromUnixTimeSeconds(9_000));
        var store = new InMemoryRateLimitStore(time);

        Assert.True((await store.TryAcquireAsync("k", 1, 900, default)).Allowed);
        var refused = await store.TryAcquireAsync("k", 1, 900, default);
        Assert.False(refused.Allowed);
        Assert.Equal(900, refused.ResetSeconds);

        time.Advance(TimeSpan.FromSeconds(899));
        Assert.Equal(1, (await store.TryAcquireAsync("k", 1, 900, default)).ResetSeconds);
        time.Advance(TimeSpan.FromSeconds(1));
        Assert.True((await store.TryAcquireAsync("k", 1, 900, default)).Allowed);
    }

    [Fact]
    public async Task Preview_requests_may_use_the_two_reserved_requests_after_the_budget_is_spent()
    {
        var store = new InMemoryRateLimitStore(new FakeTimeProvider());
        for (var i = 0; i < 450; i++)
        {
            Assert.True((await store.TryAcquireAsync("k", 450, 900, default)).Allowed);
        }

        Assert.False((await store.TryAcquireAsync("k", 450, 900, default)).Allowed);
        Assert.True((await store.TryAcquireAsync("k", 452, 900, default)).Allowed);
        Assert.True((await store.TryAcquireAsync("k", 452, 900, default)).Allowed);
        Assert.False((await store.TryAcquireAsync("k", 452, 900, default)).Allowed);
    }

    [Fact]
    public async Task Counting_is_exact_across_threads_and_window_sweeps()
    {
        var time = new FakeTimeProvider(DateTimeOffset.FromUnixTimeSeconds(100));
        var store = new InMemoryRateLimitStore(time);
        await store.TryAcquireAsync("old", 10, 60, default);
        time.Advance(TimeSpan.FromSeconds(60)); // the next call sweeps "old" while others count

        var results = await Task.WhenAll(Enumerable.Range(0, 2000).Select(i => Task.Run(() => store.TryAcquireAsync($"k{i % 4}", 300, 60, default).AsTask())));
        Assert.Equal(1200, results.Count(r => r.Allowed));
    }
}
