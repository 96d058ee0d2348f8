using System.Collections.Concurrent;
using Microsoft.EntityFrameworkCore;
using Tessera.Server.Caching;
using Tessera.Server.Data;

namespace Tessera.Server.Features.ContentApi;

/// <summary>What the public endpoint needs of a plugin, read once per stack generation.</summary>
public sealed record PluginSnapshot(int StackId, string PluginId, int? FilterId, IReadOnlyList<string> AllowedDomains, long Generation, DateTimeOffset ReadAt);

/// <summary>
/// Finds enabled plugins by public id without a database read while their stack is unchanged.
/// Any change to the stack's public content or to the plugin (rotation included) moves the stack's
/// generation on, so the next request reads the plugin again and a rotated-away id is a 404 at once.
/// A snapshot is also read again after <see cref="MaxAge"/>: the bound on how long another node's
/// plugin change (rotation, say) goes unseen while nodes do not share their generations.
/// </summary>
public sealed class PluginDirectory(IServiceScopeFactory scopes, StackGenerations generations, TimeProvider time)
{
    public static readonly TimeSpan MaxAge = TimeSpan.FromSeconds(60);

    private readonly ConcurrentDictionary<string, PluginSnapshot> _plugins = new(StringComparer.Ordinal);

    public async ValueTask<PluginSnapshot?> FindAsync(string pluginId, CancellationToken ct)
    {
        if (!ContentApiPlugin.IsWellFormed(pluginId))
        {
            return null;
        }

        if (_plugins.TryGetValue(pluginId, out var known) && known.Generation == generations.Current(known.StackId)
            && time.GetUtcNow() - known.ReadAt < MaxAge)
        {
            return known;
        }

        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<TesseraDbContext>();
        var plugins = db.ContentApiPlugins.AsNoTracking().Where(p => p.PluginId == pluginId);
        // The generation is taken before the plugin is read (see StackGenerations), and the stack must
        // be known to take it: a plugin id belongs to one stack for its whole life.
        var stackId = await plugins.Select(p => (int?)p.StackId).FirstOrDefaultAsync(ct);
        var generation = stackId is { } id ? generations.Current(id) : 0;
        var readAt = time.GetUtcNow();
        var plugin = stackId is null ? null : await plugins.FirstOrDefaultAsync(ct);
        if (plugin is null || !plugin.Enabled)
        {
            _plugins.TryRemove(pluginId, out _);
            return null;
        }

        var snapshot = new PluginSnapshot(plugin.StackId, plugin.PluginId, plugin.FilterId, plugin.AllowedDomains, generation, readAt);
        _plugins[pluginId] = snapshot;
        return snapshot;
    }
}
