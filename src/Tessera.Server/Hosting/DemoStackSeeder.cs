using Microsoft.EntityFrameworkCore;
using Tessera.Server.Data;
using Tessera.Server.Features.Stacks;
using Tessera.Server.Features.Tags;

namespace Tessera.Server.Hosting;

/// <summary>
/// On first start against an empty database, creates a "demo" stack with a few tags and prints its
/// token, so a newcomer can call the API at once. Off with <c>Tessera:DemoStack=false</c>.
/// Runs after <see cref="DatabaseMigrator"/> (hosted services start in registration order).
/// </summary>
public sealed partial class DemoStackSeeder(IServiceScopeFactory scopes, IConfiguration configuration, ILogger<DemoStackSeeder> logger) : StartupTask
{
    public const string DemoStackName = "demo";

    public override async Task StartingAsync(CancellationToken cancellationToken)
    {
        if (!configuration.GetValue("Tessera:DemoStack", true))
        {
            return;
        }

        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<TesseraDbContext>();
        if (await db.Stacks.AnyAsync(cancellationToken))
        {
            return;
        }

        var created = await scope.ServiceProvider.GetRequiredService<StackProvisioner>().CreateAsync(DemoStackName, cancellationToken);
        // The token is shown once: print it before anything else can fail.
        LogDemoCreated(logger, created.Stack);
        Console.WriteLine($"""

            Demo stack '{created.Stack}' created. Access token (shown only now):
              {created.AccessToken}
            Try: curl "{ExampleBaseUrl(configuration)}/api/tags?stack={created.Stack}&access_token={created.AccessToken}"

            """);

        var now = scope.ServiceProvider.GetRequiredService<TimeProvider>().GetUtcNow().ToUnixTimeSeconds();
        foreach (var (name, type) in new[] { ("Editors pick", "content"), ("Summer", "content"), ("Trail shoe", "product") })
        {
            db.Tags.Add(new Tag
            {
                StackId = created.StackId,
                Name = name,
                NormalizedName = TagRules.Normalize(name),
                Slug = TagRules.Slugify(name),
                Type = type,
                PubliclyVisible = true,
                CreatedAt = now,
                UpdatedAt = now,
            });
        }

        await db.SaveChangesAsync(cancellationToken);
    }

    /// <summary>The first address the server will listen on (<c>--urls</c>), as a client on this machine reaches it.</summary>
    public static string ExampleBaseUrl(IConfiguration configuration)
    {
        var first = (configuration["urls"] ?? "http://localhost:5000").Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .FirstOrDefault() ?? "http://localhost:5000";
        return first.Replace("://0.0.0.0", "://127.0.0.1", StringComparison.Ordinal)
            .Replace("://+", "://127.0.0.1", StringComparison.Ordinal)
            .Replace("://*", "://127.0.0.1", StringComparison.Ordinal)
            .Replace("://[::]", "://127.0.0.1", StringComparison.Ordinal)
            .TrimEnd('/');
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Created the demo stack {Stack}; its access token is printed on the console once")]
    private static partial void LogDemoCreated(ILogger logger, string stack);
}
