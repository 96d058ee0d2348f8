using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using Tessera.Tests.Infrastructure;

namespace Tessera.Tests.Hosting;

/// <summary>The published entry point as a real process: admin verbs and first start.</summary>
public sealed class ProcessTests
{
    [Fact]
    public async Task Stack_create_json_prints_the_contract_keys_and_the_token_works()
    {
        var database = TestDatabase.CreateConnectionString();
        try
        {
            var (exit, stdout, stderr) = await CliProcess.RunAsync(database, "stack", "create", "acme", "--json");
            Assert.True(exit == 0, stderr);
            using var created = JsonDocument.Parse(stdout);
            var root = created.RootElement;
            Assert.Equal("acme", root.GetProperty("stack").GetString());
            foreach (var key in new[] { "stack_id", "user_id", "latest_filter_id", "post_term_id" })
            {
                Assert.True(root.GetProperty(key).GetInt32() > 0, key);
            }

            var token = root.GetProperty("access_token").GetString()!;
            Assert.Equal(64, token.Length);
            Assert.Matches("^[A-Za-z0-9_-]{32}$", root.GetProperty("content_api_plugin_id").GetString());

            (exit, stdout, stderr) = await CliProcess.RunAsync(database, "token", "create", "--stack", "acme", "--scope", "r", "--json");
            Assert.True(exit == 0, stderr);
            using var readOnly = JsonDocument.Parse(stdout);
            Assert.Equal("r", readOnly.RootElement.GetProperty("scope").GetString());
            Assert.NotEqual(token, readOnly.RootElement.GetProperty("access_token").GetString());

            (exit, _, stderr) = await CliProcess.RunAsync(database, "stack", "create", "acme", "--json");
            Assert.Equal(2, exit);
            Assert.Contains("already exists", stderr, StringComparison.Ordinal);
        }
        finally
        {
            await TestDatabase.DropAsync(database);
        }
    }

    [Fact]
    public async Task First_serve_migrates_creates_a_demo_stack_and_answers_with_its_token()
    {
        var database = TestDatabase.CreateConnectionString();
        var port = FreePort();
        using var server = CliProcess.Start(database, "serve", "--urls", $"http://127.0.0.1:{port}");
        try
        {
            var (token, example) = await ReadDemoTokenAsync(server);
            Assert.Contains($"curl \"http://127.0.0.1:{port}/api/tags?stack=demo&access_token={token}\"", example, StringComparison.Ordinal);
            using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
            var response = await GetWhenListeningAsync(http, $"/api/tags?stack=demo&access_token={token}");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
            Assert.True(body.RootElement.GetProperty("data").GetArrayLength() >= 1);

            // Kestrel itself must accept the SDK's long PUT query strings (its default line limit is 8 KB).
            var description = new string('d', 500);
            var id = body.RootElement.GetProperty("data")[0].GetProperty("id").GetInt32();
            var put = await http.PutAsync($"/api/tags/{id}?access_token={token}&stack=demo&description={description}&custom_fields={Uri.EscapeDataString("{\"notes\":\"" + new string('n', 12_000) + "\"}")}", null);
            Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        }
        finally
        {
            server.Kill(entireProcessTree: true);
            await server.WaitForExitAsync();
            await TestDatabase.DropAsync(database);
        }
    }

    [Fact]
    public async Task User_invite_json_prints_a_pending_user_and_a_link_on_the_public_url()
    {
        var database = TestDatabase.CreateConnectionString();
        try
        {
            var (exit, _, stderr) = await CliProcess.RunAsync(database, "stack", "create", "acme", "--json");
            Assert.True(exit == 0, stderr);

            (exit, var stdout, stderr) = await CliProcess.RunAsync(database, "user", "invite", "--stack", "acme", "Mia@Example.com", "--groups", "2,3", "--json", "--Tessera:PublicUrl=https://ugc.example.com/");
            Assert.True(exit == 0, stderr);
            using var invited = JsonDocument.Parse(stdout);
            var root = invited.RootElement;
            Assert.Equal("mia@example.com", root.GetProperty("email").GetString());
            Assert.True(root.GetProperty("user_id").GetInt32() > 0);
            Assert.Equal([2, 3], root.GetProperty("acl_groups").EnumerateArray().Select(g => g.GetInt32()));
            Assert.Matches("^https://ugc.example.com/invite/[0-9a-f]{64}$", root.GetProperty("invitation_url").GetString());

            (exit, _, stderr) = await CliProcess.RunAsync(database, "user", "invite", "--stack", "acme", "not-an-address");
            Assert.Equal(2, exit);
            Assert.Contains("e-mail", stderr, StringComparison.Ordinal);
        }
        finally
        {
            await TestDatabase.DropAsync(database);
        }
    }

    [Fact]
    public async Task Unknown_verb_prints_usage_and_fails()
    {
        var (exit, _, stderr) = await CliProcess.RunAsync(TestDatabase.CreateConnectionString(), "frobnicate");
        Assert.Equal(2, exit);
        Assert.Contains("usage: tessera", stderr, StringComparison.Ordinal);
    }

    /// <summary>The token is printed while the host starts, before Kestrel binds: retry briefly.</summary>
    private static async Task<HttpResponseMessage> GetWhenListeningAsync(HttpClient http, string url)
    {
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                return await http.GetAsync(url);
            }
            catch (HttpRequestException) when (attempt < 100)
            {
                await Task.Delay(100);
            }
        }
    }

    /// <summary>The printed demo token and the example line that follows it.</summary>
    private static async Task<(string Token, string Example)> ReadDemoTokenAsync(Process server)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var sawHeading = false;
        while (await server.StandardOutput.ReadLineAsync(timeout.Token) is { } line)
        {
            if (sawHeading && line.Trim().Length == 64)
            {
                return (line.Trim(), await server.StandardOutput.ReadLineAsync(timeout.Token) ?? string.Empty);
            }

            sawHeading |= line.Contains("Access token", StringComparison.Ordinal);
        }

        throw new InvalidOperationException("the server printed no demo token: " + await server.StandardError.ReadToEndAsync(timeout.Token));
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
