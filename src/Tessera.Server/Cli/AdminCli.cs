using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Tessera.Server.Auth;
using Tessera.Server.Compat;
using Tessera.Server.Data;
using Tessera.Server.Features.OAuth;
using Tessera.Server.Features.Stacks;
using Tessera.Server.Features.Users;
using Tessera.Server.Hosting;

namespace Tessera.Server.Cli;

/// <summary>
/// The command line: <c>serve</c> (the default), and the admin verbs <c>migrate</c>,
/// <c>stack create NAME [--json]</c>, <c>token create --stack NAME [--user USERNAME] [--scope rw|r] [--json]</c>,
/// <c>user invite --stack NAME EMAIL [--groups 1,2,3] [--json]</c>,
/// <c>oauth-client create --stack NAME --redirect-uri URI [--name NAME] [--json]</c>,
/// <c>oauth-client list --stack NAME [--json]</c>, <c>oauth-client revoke --stack NAME CLIENT_ID [--json]</c>.
/// Admin verbs log to stderr only, so <c>--json</c> output on stdout stays parseable.
/// </summary>
public static class AdminCli
{
    public static async Task<int> RunAsync(string[] args)
    {
        var verb = args.Length == 0 || args[0].StartsWith('-') ? "serve" : args[0];
        var rest = verb == "serve" && args.Length > 0 && args[0] == "serve" ? args[1..] : args.Length == 0 || args[0].StartsWith('-') ? args : args[1..];
        try
        {
            switch (verb)
            {
                case "serve":
                    await TesseraServer.Build(rest).RunAsync();
                    return 0;
                case "migrate":
                    return await WithServices(rest, async (services, _, ct) =>
                    {
                        var db = services.GetRequiredService<TesseraDbContext>();
                        await DatabaseMigrator.MigrateAsync(db, services.GetRequiredService<ILogger<TesseraDbContextLog>>(), ct);
                        Console.WriteLine("database is up to date");
                        return 0;
                    });
                case "stack" when rest.Length >= 2 && rest[0] == "create":
                    return await WithServices(rest[2..], async (services, options, ct) =>
                    {
                        var created = await services.GetRequiredService<StackProvisioner>().CreateAsync(rest[1], ct);
                        Print(created, options, $"stack '{created.Stack}' created; access token: {created.AccessToken}");
                        return 0;
                    });
                case "token" when rest.Length >= 1 && rest[0] == "create":
                    return await WithServices(rest[1..], async (services, options, ct) =>
                    {
                        var stack = options.Value("--stack") ?? throw new ArgumentException("--stack NAME is required");
                        var scope = options.Value("--scope") ?? "rw";
                        if (scope is not ("rw" or "r"))
                        {
                            throw new ArgumentException("--scope is rw or r");
                        }

                        var created = await services.GetRequiredService<StackProvisioner>()
                            .CreateTokenAsync(stack, options.Value("--user"), scope == "r" ? TokenScope.Read : TokenScope.ReadWrite, ct);
                        Print(created, options, $"token for {created.Username}@{created.Stack} ({created.Scope}): {created.AccessToken}");
                        return 0;
                    });
                case "user" when rest.Length >= 1 && rest[0] == "invite":
                    return await WithServices(rest[1..], async (services, options, ct) =>
                    {
                        var stackName = options.Value("--stack") ?? throw new ArgumentException("--stack NAME is required");
                        var email = options.Positional.Count == 1 && UserInput.IsEmail(options.Positional[0])
                            ? options.Positional[0].ToLowerInvariant()
                            : throw new ArgumentException("give one e-mail address to invite");
                        var groups = ParseGroups(options.Value("--groups") ?? "2");
                        var stack = await services.GetRequiredService<TesseraDbContext>().Stacks.SingleOrDefaultAsync(s => s.Name == stackName, ct)
                            ?? throw new ArgumentException($"no stack named '{stackName}'");
                        var (invitation, _, problem) = await services.GetRequiredService<UserInvitations>()
                            .InviteAsync(stack.Id, email, groups, name: null, surname: null, request: null, ct);
                        if (invitation is null)
                        {
                            throw new ArgumentException(problem);
                        }

                        Print(new { stack = stack.Name, user_id = invitation.User.Id, email, acl_groups = invitation.User.AclGroups, invitation_url = invitation.InvitationUrl, invitation_expires_at = invitation.InvitationExpiresAt },
                            options, $"invited {email} to '{stack.Name}'; they set a password at {invitation.InvitationUrl}");
                        return 0;
                    });
                case "oauth-client" when rest.Length >= 1 && rest[0] == "create":
                    return await WithServices(rest[1..], async (services, options, ct) =>
                    {
                        var stack = options.Value("--stack") ?? throw new ArgumentException("--stack NAME is required");
                        var redirectUri = options.Value("--redirect-uri") ?? throw new ArgumentException("--redirect-uri URI is required");
                        var created = await services.GetRequiredService<OAuthClients>().CreateAsync(stack, redirectUri, options.Value("--name"), ct);
                        Print(created, options, $"app '{created.Name}' registered on {created.Stack}\nclient_id:     {created.ClientId}\nclient_secret: {created.ClientSecret} (shown only now)");
                        return 0;
                    });
                case "oauth-client" when rest.Length >= 1 && rest[0] == "list":
                    return await WithServices(rest[1..], async (services, options, ct) =>
                    {
                        var stack = options.Value("--stack") ?? throw new ArgumentException("--stack NAME is required");
                        var apps = await services.GetRequiredService<OAuthClients>().ListAsync(stack, ct);
                        Print(apps, options, string.Join('\n', apps.Select(a =>
                            $"{a.ClientId}  {a.Name}  {a.RedirectUri}  {(a.RevokedAt is null ? $"{a.ActiveTokens} active tokens" : "revoked")}")));
                        return 0;
                    });
                case "oauth-client" when rest.Length >= 1 && rest[0] == "revoke":
                    return await WithServices(rest[1..], async (services, options, ct) =>
                    {
                        var stack = options.Value("--stack") ?? throw new ArgumentException("--stack NAME is required");
                        var clientId = options.Positional.Count == 1 ? options.Positional[0] : throw new ArgumentException("give the client_id of the app to revoke");
                        var revoked = await services.GetRequiredService<OAuthClients>().RevokeAsync(stack, clientId, ct);
                        Print(new { stack, client_id = clientId, revoked_tokens = revoked }, options, $"app {clientId} revoked on {stack}, with {revoked} tokens");
                        return 0;
                    });
                default:
                    await Console.Error.WriteLineAsync(Usage);
                    return 2;
            }
        }
        catch (ArgumentException e)
        {
            await Console.Error.WriteLineAsync($"tessera: {e.Message}");
            return 2;
        }
    }

    private const string Usage = """
        usage: tessera [serve] [--urls URL]
               tessera migrate
               tessera stack create NAME [--json]
               tessera token create --stack NAME [--user USERNAME] [--scope rw|r] [--json]
               tessera user invite --stack NAME EMAIL [--groups 1,2,3] [--json]
               tessera oauth-client create --stack NAME --redirect-uri URI [--name NAME] [--json]
               tessera oauth-client list --stack NAME [--json]
               tessera oauth-client revoke --stack NAME CLIENT_ID [--json]
        """;

    /// <summary><c>--groups</c>: comma-separated group ids (1 Admin, 2 Moderator, 3 Developer).</summary>
    private static AclGroups ParseGroups(string csv)
    {
        var groups = AclGroups.None;
        foreach (var item in csv.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            groups |= int.TryParse(item, out var id) && AclGroupIds.Group(id) is { } group
                ? group
                : throw new ArgumentException($"--groups: '{item}' is not a group id (1 Admin, 2 Moderator, 3 Developer)");
        }

        return groups == AclGroups.None ? throw new ArgumentException("--groups needs at least one group id") : groups;
    }

    private static void Print(object result, CliOptions options, string text) =>
        Console.WriteLine(options.Flag("--json") ? JsonSerializer.Serialize(result, WireJson.Options) : text);

    /// <summary>Runs an admin verb with the data services, on a migrated database.</summary>
    private static async Task<int> WithServices(string[] args, Func<IServiceProvider, CliOptions, CancellationToken, Task<int>> verb)
    {
        var options = new CliOptions(args);
        var builder = Host.CreateApplicationBuilder(options.HostArgs);
        builder.Logging.ClearProviders();
        builder.Logging.AddConsole(o => o.LogToStandardErrorThreshold = LogLevel.Trace);
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        TesseraServer.AddServices(builder.Services, builder.Configuration);
        using var host = builder.Build();
        await using var scope = host.Services.CreateAsyncScope();
        var services = scope.ServiceProvider;
        await DatabaseMigrator.MigrateAsync(services.GetRequiredService<TesseraDbContext>(), services.GetRequiredService<ILogger<TesseraDbContextLog>>(), CancellationToken.None);
        return await verb(services, options, CancellationToken.None);
    }

    /// <summary>A logger category for the admin verbs.</summary>
    private sealed class TesseraDbContextLog;
}

/// <summary>
/// Verb options (<c>--json</c>, <c>--stack NAME</c>); anything else (e.g. <c>--ConnectionStrings:Tessera=…</c>)
/// passes to the host as configuration.
/// </summary>
internal sealed class CliOptions
{
    private static readonly HashSet<string> Known = ["--json", "--stack", "--user", "--scope", "--groups", "--redirect-uri", "--name"];
    private readonly Dictionary<string, string?> _values = [];

    public CliOptions(string[] args)
    {
        var host = new List<string>();
        for (var i = 0; i < args.Length; i++)
        {
            if (!args[i].StartsWith('-'))
            {
                // A value of a host option (--Key value) stays with it; anything else is positional.
                var hostValue = i > 0 && args[i - 1].StartsWith("--", StringComparison.Ordinal) && !args[i - 1].Contains('=') && !Known.Contains(args[i - 1]);
                (hostValue ? host : Positional).Add(args[i]);
            }
            else if (!Known.Contains(args[i]))
            {
                host.Add(args[i]);
            }
            else if (args[i] == "--json")
            {
                _values[args[i]] = null;
            }
            else
            {
                _values[args[i]] = i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value");
            }
        }

        HostArgs = [.. host];
    }

    public string[] HostArgs { get; }

    /// <summary>Arguments that are not options (the e-mail of <c>user invite</c>).</summary>
    public List<string> Positional { get; } = [];

    public bool Flag(string name) => _values.ContainsKey(name);

    public string? Value(string name) => _values.GetValueOrDefault(name);
}
