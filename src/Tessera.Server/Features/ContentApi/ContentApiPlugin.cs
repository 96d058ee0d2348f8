using System.Buffers.Text;
using System.Security.Cryptography;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Tessera.Server.Features.Filters;
using Tessera.Server.Features.Stacks;

namespace Tessera.Server.Features.ContentApi;

/// <summary>
/// A stack's Content API plugin (decisions §4, §6): the unguessable id websites read
/// <c>/content_api/{id}</c> with, the filter it serves by default and the origins allowed to read it
/// from a browser. One per stack.
/// </summary>
public sealed class ContentApiPlugin
{
    /// <summary>Random bytes in an id: 192 bits, 32 URL-safe characters.</summary>
    public const int IdBytes = 24;

    public const int IdLength = 32;

    public const int MaxDomains = 50;

    public const int MaxDomainLength = 253;

    public int Id { get; set; }

    public int StackId { get; set; }

    /// <summary>The public id; replaced (and the old one dead at once) by rotation.</summary>
    public required string PluginId { get; set; }

    /// <summary>The filter served when a request names none; null serves all published tiles, newest first (as "Latest").</summary>
    public int? FilterId { get; set; }

    /// <summary>Origins allowed by CORS (host names, <c>*.example.com</c> or full origins); empty allows every origin.</summary>
    public List<string> AllowedDomains { get; set; } = [];

    public bool Enabled { get; set; } = true;

    public long CreatedAt { get; set; }

    public long UpdatedAt { get; set; }

    public int Version { get; set; }

    public static ContentApiPlugin Create(int stackId, int? filterId, long now) => new()
    {
        StackId = stackId,
        PluginId = NewPluginId(),
        FilterId = filterId,
        CreatedAt = now,
        UpdatedAt = now,
    };

    public static string NewPluginId() => Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(IdBytes));

    /// <summary>Whether <paramref name="id"/> could be a plugin id at all (so junk never reaches the database).</summary>
    public static bool IsWellFormed(string id)
    {
        if (id.Length != IdLength)
        {
            return false;
        }

        foreach (var c in id)
        {
            if (!char.IsAsciiLetterOrDigit(c) && c is not ('-' or '_'))
            {
                return false;
            }
        }

        return true;
    }
}

internal sealed class ContentApiPluginConfiguration : IEntityTypeConfiguration<ContentApiPlugin>
{
    public void Configure(EntityTypeBuilder<ContentApiPlugin> plugin)
    {
        plugin.ToTable("content_api_plugins");
        plugin.HasIndex(p => p.StackId).IsUnique();
        plugin.HasIndex(p => p.PluginId).IsUnique();
        plugin.Property(p => p.PluginId).HasMaxLength(ContentApiPlugin.IdLength);
        plugin.Property(p => p.Version).IsConcurrencyToken();
        plugin.HasOne<Stack>().WithMany().HasForeignKey(p => p.StackId).OnDelete(DeleteBehavior.Cascade);
        // Deleting the plugin's filter makes it serve all content again.
        plugin.HasOne<Filter>().WithMany().HasForeignKey(p => p.FilterId).OnDelete(DeleteBehavior.SetNull);
    }
}
