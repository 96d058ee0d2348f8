using Microsoft.EntityFrameworkCore;
using Tessera.Server.Auth;
using Tessera.Server.Compat;
using Tessera.Server.Data;
using Tessera.Server.Features.Tiles;

namespace Tessera.Server.Features.ContentApi;

/// <summary>
/// <c>/api/contentapi</c> (preview, decisions §6): read and configure the stack's Content API plugin,
/// and rotate its public id. Every change reaches the public endpoint on its next request.
/// </summary>
public static class ContentApiEndpoints
{
    private const ApiResource Resource = ApiResource.ContentApi;

    private const string What = "content api plugin";

    public static void MapContentApiSettings(this IEndpointRouteBuilder routes)
    {
        var plugin = routes.MapGroup("/api/contentapi").AsPreviewEndpoint(ApiArea.ContentApi, Resource).WithTags("Content API");
        plugin.MapGet("/", GetPlugin).WithSummary("The stack's Content API plugin");
        plugin.MapPut("/", UpdatePlugin).WithSummary("Configure the Content API plugin (filter_id, allowed_domains, enabled)");
        plugin.MapPost("/rotate", RotatePlugin).WithSummary("Issue a new plugin id; the old one stops working at once");
    }

    public static async Task<IResult> GetPlugin(ApiCaller caller, HttpRequest request, TesseraDbContext db, TimeProvider time, CancellationToken ct)
    {
        var (plugin, outcome) = await FindOrCreateAsync(db, caller.StackId, time, ct);
        return plugin is null ? ApiResults.SaveFailed(Resource, What, outcome) : ApiResults.Ok(ContentApiWire.From(plugin, TileReader.BaseUrl(request)));
    }

    public static async Task<IResult> UpdatePlugin(
        ApiCaller caller, ApiParameters parameters, HttpRequest request, TesseraDbContext db, TimeProvider time, CancellationToken ct)
    {
        var (plugin, outcome) = await FindOrCreateAsync(db, caller.StackId, time, ct);
        if (plugin is null)
        {
            return ApiResults.SaveFailed(Resource, What, outcome);
        }

        var f = new FieldReader(parameters, Resource);
        if (f.Has("filter_id"))
        {
            // Blank serves all content again; otherwise a filter of this stack.
            var filterId = f.IsBlank("filter_id") ? null : f.Int("filter_id", 1);
            if (filterId is { } id && !await db.Filters.AnyAsync(x => x.StackId == caller.StackId && x.Id == id, ct))
            {
                f.AddError("filter_id", $"no filter {id} in this stack", "filter_not_found");
            }

            plugin.FilterId = filterId;
        }

        if (f.StringList("allowed_domains", ContentApiPlugin.MaxDomains, ContentApiPlugin.MaxDomainLength) is { } domains)
        {
            var normalized = new List<string>();
            foreach (var domain in domains)
            {
                if (ContentApiOrigins.Normalize(domain) is { } entry)
                {
                    normalized.Add(entry);
                }
                else
                {
                    f.AddError("allowed_domains", $"'{domain}' is not a host name, *.host or http(s) origin");
                }
            }

            plugin.AllowedDomains = [.. normalized.Distinct()];
        }

        if (f.Bool("enabled") is { } enabled)
        {
            plugin.Enabled = enabled;
        }

        if (f.HasErrors)
        {
            return ApiResults.Invalid(f);
        }

        return await SaveAsync(db, plugin, time, request, ct);
    }

    public static async Task<IResult> RotatePlugin(ApiCaller caller, HttpRequest request, TesseraDbContext db, TimeProvider time, CancellationToken ct)
    {
        var (plugin, outcome) = await FindOrCreateAsync(db, caller.StackId, time, ct);
        if (plugin is null)
        {
            return ApiResults.SaveFailed(Resource, What, outcome);
        }

        plugin.PluginId = ContentApiPlugin.NewPluginId();
        return await SaveAsync(db, plugin, time, request, ct);
    }

    private static async Task<IResult> SaveAsync(TesseraDbContext db, ContentApiPlugin plugin, TimeProvider time, HttpRequest request, CancellationToken ct)
    {
        plugin.UpdatedAt = time.GetUtcNow().ToUnixTimeSeconds();
        plugin.Version++;
        var outcome = await db.TrySaveAsync(ct);
        return outcome == SaveOutcome.Saved
            ? ApiResults.Ok(ContentApiWire.From(plugin, TileReader.BaseUrl(request)))
            : ApiResults.SaveFailed(Resource, What, outcome);
    }

    /// <summary>
    /// The stack's plugin, tracked. Stacks made before the Content API existed get theirs on first use
    /// (serving all content); of two first uses at once, the loser reads the winner's.
    /// </summary>
    private static async Task<(ContentApiPlugin? Plugin, SaveOutcome Outcome)> FindOrCreateAsync(TesseraDbContext db, int stackId, TimeProvider time, CancellationToken ct)
    {
        var plugin = await db.ContentApiPlugins.FirstOrDefaultAsync(p => p.StackId == stackId, ct);
        if (plugin is not null)
        {
            return (plugin, SaveOutcome.Saved);
        }

        db.ContentApiPlugins.Add(ContentApiPlugin.Create(stackId, null, time.GetUtcNow().ToUnixTimeSeconds()));
        var outcome = await db.TrySaveAsync(ct);
        db.ChangeTracker.Clear();
        plugin = await db.ContentApiPlugins.FirstOrDefaultAsync(p => p.StackId == stackId, ct);
        return (plugin, outcome);
    }
}
