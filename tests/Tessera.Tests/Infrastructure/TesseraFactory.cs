using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Tessera.Server.Auth;
using Tessera.Server.Data;
using Tessera.Server.Features.Stacks;
using Tessera.Server.Features.Users;

namespace Tessera.Tests.Infrastructure;

/// <summary>
/// The real server in memory, on a fresh database of the provider named by <c>TESSERA_TEST_DB</c>
/// (<c>sqlite</c>, the default, or <c>postgres</c> with <c>TESSERA_TEST_PG</c> as the server's
/// connection string). Each factory has its own database; each test makes its own stacks.
/// </summary>
public sealed class TesseraFactory : WebApplicationFactory<Program>
{
    private readonly Dictionary<string, string?> _settings;

    public TesseraFactory()
        : this([])
    {
    }

    // xunit needs a fixture to have one public constructor.
    private TesseraFactory((string Key, string Value)[] settings)
    {
        Provider = TestDatabase.Provider;
        ConnectionString = TestDatabase.CreateConnectionString();
        _settings = new()
        {
            ["Tessera:Database:Provider"] = Provider,
            ["ConnectionStrings:Tessera"] = ConnectionString,
            ["Tessera:DemoStack"] = "false",
            ["Tessera:Media:Root"] = MediaRoot,
            // Collector tests poll explicitly; the background worker is switched on only where a test says so.
            ["Tessera:Collectors:Enabled"] = "false",
        };
        foreach (var (key, value) in settings)
        {
            _settings[key] = value;
        }
    }

    /// <summary>A factory (with a database of its own) whose servers all have <paramref name="settings"/> on top of the test defaults.</summary>
    public static TesseraFactory WithSettings(params (string Key, string Value)[] settings) => new(settings);

    public string Provider { get; }

    public string ConnectionString { get; }

    /// <summary>Uploaded images of this factory's servers: a temp folder, removed on dispose.</summary>
    public string MediaRoot { get; } = Path.Combine(Path.GetTempPath(), "tessera-tests", $"media-{Guid.NewGuid():N}");

    /// <summary>A factory on the same database with extra settings (e.g. a small rate limit).</summary>
    public WebApplicationFactory<Program> With(params (string Key, string Value)[] settings) =>
        WithWebHostBuilder(b =>
        {
            foreach (var (key, value) in settings)
            {
                b.UseSetting(key, value);
            }
        });

    /// <summary>Creates a stack with a unique name, as <c>tessera stack create</c> does.</summary>
    public Task<StackCreated> CreateStackAsync(string prefix = "t") => CreateStackAsync(this, prefix);

    /// <summary>Creates a stack through <paramref name="server"/> (a factory made with <see cref="With"/>, say).</summary>
    public static async Task<StackCreated> CreateStackAsync(WebApplicationFactory<Program> server, string prefix = "t")
    {
        await using var scope = server.Services.CreateAsyncScope();
        var provisioner = scope.ServiceProvider.GetRequiredService<StackProvisioner>();
        return await provisioner.CreateAsync($"{prefix}{Guid.NewGuid():N}"[..24], CancellationToken.None);
    }

    /// <summary>A token of a new user of <paramref name="stack"/> in <paramref name="groups"/>; <paramref name="change"/> may adjust it before it is stored.</summary>
    public async Task<string> IssueTokenAsync(StackCreated stack, AclGroups groups, TokenScope scope, Action<AccessToken>? change = null)
    {
        await using var services = Services.CreateAsyncScope();
        var db = services.ServiceProvider.GetRequiredService<TesseraDbContext>();
        var user = new User { StackId = stack.StackId, Username = $"u{Guid.NewGuid():N}"[..12], AclGroups = groups, CreatedAt = 1 };
        db.Users.Add(user);
        await db.SaveChangesAsync();
        var (token, plain) = AccessToken.Issue(stack.StackId, user.Id, scope, 1);
        change?.Invoke(token);
        db.AccessTokens.Add(token);
        await db.SaveChangesAsync();
        return plain;
    }

    /// <summary>A client for a new stack's admin token, knowing the stack's "Latest" filter, "UGC Post Feed" term and Content API plugin.</summary>
    public Task<ApiClient> NewStackClientAsync() => NewStackClientAsync(this);

    /// <summary>A client of <paramref name="server"/> for a new stack's admin token.</summary>
    public static async Task<ApiClient> NewStackClientAsync(WebApplicationFactory<Program> server)
    {
        var stack = await CreateStackAsync(server);
        return new ApiClient(server.CreateClient(), stack.Stack, stack.AccessToken, stack.StackId)
        {
            LatestFilterId = stack.LatestFilterId,
            PostTermId = stack.PostTermId,
            ContentApiPluginId = stack.ContentApiPluginId,
        };
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        foreach (var (key, value) in _settings)
        {
            builder.UseSetting(key, value);
        }
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        await TestDatabase.DropAsync(ConnectionString);
        if (Directory.Exists(MediaRoot))
        {
            Directory.Delete(MediaRoot, recursive: true);
        }
    }
}

/// <summary>Where test databases live: a temp SQLite file, or a fresh PostgreSQL database.</summary>
public static class TestDatabase
{
    public static string Provider { get; } = Environment.GetEnvironmentVariable("TESSERA_TEST_DB") is { Length: > 0 } p ? p : "sqlite";

    public static string CreateConnectionString()
    {
        var name = $"tessera_test_{Guid.NewGuid():N}"[..28];
        if (Provider == "postgres")
        {
            var server = Environment.GetEnvironmentVariable("TESSERA_TEST_PG")
                ?? "Host=127.0.0.1;Port=5432;Username=tessera;Password=tessera";
            return new NpgsqlConnectionStringBuilder(server) { Database = name }.ToString();
        }

        var folder = Path.Combine(Path.GetTempPath(), "tessera-tests");
        Directory.CreateDirectory(folder);
        return $"Data Source={Path.Combine(folder, name + ".db")}";
    }

    public static async Task DropAsync(string connectionString)
    {
        if (Provider != "postgres")
        {
            return;
        }

        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        var database = builder.Database;
        builder.Database = "postgres";
        NpgsqlConnection.ClearAllPools();
        await using var connection = new NpgsqlConnection(builder.ToString());
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{database}\" WITH (FORCE)", connection);
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await command.ExecuteNonQueryAsync();
                return;
            }
            catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.InsufficientPrivilege && attempt < 10)
            {
                // FORCE may not end a server process of another role (autovacuum working in the
                // database, say); it finishes shortly.
                await Task.Delay(200 * attempt);
            }
        }
    }
}

/// <summary>One server (and database) shared by the API tests of a run.</summary>
[CollectionDefinition(Name)]
public sealed class ApiCollection : ICollectionFixture<TesseraFactory>
{
    public const string Name = "api";
}
