using Microsoft.EntityFrameworkCore;
using Tessera.Server.Auth;
using Tessera.Server.Features.ContentApi;
using Tessera.Server.Features.Filters;
using Tessera.Server.Features.ModerationViews;
using Tessera.Server.Features.OAuth;
using Tessera.Server.Features.Rules;
using Tessera.Server.Features.Stacks;
using Tessera.Server.Features.Tags;
using Tessera.Server.Features.Terms;
using Tessera.Server.Features.Tiles;
using Tessera.Server.Features.Users;
using Tessera.Server.Features.Webhooks;
using Tessera.Server.Features.Widgets;

namespace Tessera.Server.Data;

/// <summary>
/// The one model of Tessera. Each database provider has a subclass that owns its migrations
/// (<see cref="SqliteTesseraDbContext"/>, <see cref="PostgresTesseraDbContext"/>); features depend on this type.
/// </summary>
public abstract class TesseraDbContext(DbContextOptions options) : DbContext(options)
{
    public DbSet<Stack> Stacks => Set<Stack>();

    public DbSet<User> Users => Set<User>();

    public DbSet<AccessToken> AccessTokens => Set<AccessToken>();

    public DbSet<Tag> Tags => Set<Tag>();

    public DbSet<Filter> Filters => Set<Filter>();

    public DbSet<Term> Terms => Set<Term>();

    public DbSet<Tile> Tiles => Set<Tile>();

    public DbSet<TileTag> TileTags => Set<TileTag>();

    public DbSet<TileChange> TileChanges => Set<TileChange>();

    public DbSet<ContentApiPlugin> ContentApiPlugins => Set<ContentApiPlugin>();

    public DbSet<TileRule> Rules => Set<TileRule>();

    public DbSet<RuleJob> RuleJobs => Set<RuleJob>();

    public DbSet<WebhookSubscription> WebhookSubscriptions => Set<WebhookSubscription>();

    public DbSet<WebhookDelivery> WebhookDeliveries => Set<WebhookDelivery>();

    public DbSet<WebhookAttempt> WebhookAttempts => Set<WebhookAttempt>();

    public DbSet<Widget> Widgets => Set<Widget>();

    public DbSet<ModerationView> ModerationViews => Set<ModerationView>();

    public DbSet<OAuthClient> OAuthClients => Set<OAuthClient>();

    public DbSet<OAuthCode> OAuthCodes => Set<OAuthCode>();

    public DbSet<OemSession> OemSessions => Set<OemSession>();

    /// <summary>
    /// Stacks whose public content this context changed and whose caches are not invalidated yet
    /// (see <see cref="Caching.ContentChangeHook"/>).
    /// </summary>
    internal HashSet<int> ChangedStacks { get; } = [];

    /// <summary>
    /// Stacks whose tags or terms this context changed and whose tile JSON is not invalidated yet
    /// (see <see cref="Caching.ContentChangeHook"/>).
    /// </summary>
    internal HashSet<int> ChangedWireStacks { get; } = [];

    /// <summary>Webhook deliveries the outbox added to the current save (see <see cref="Features.Webhooks.WebhookOutbox"/>).</summary>
    internal List<WebhookDelivery> OutboxRows { get; } = [];

    /// <summary>True when a save of this context added webhook deliveries that the dispatcher has not been woken for.</summary>
    internal bool WebhooksQueued { get; set; }

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.ApplyConfigurationsFromAssembly(typeof(TesseraDbContext).Assembly);

        modelBuilder.Entity<Stack>(stack =>
        {
            stack.ToTable("stacks");
            stack.HasIndex(s => s.Name).IsUnique();
            stack.Property(s => s.Name).HasMaxLength(64);
        });
        modelBuilder.Entity<User>(user =>
        {
            user.ToTable("users");
            user.HasIndex(u => new { u.StackId, u.Username }).IsUnique();
            user.Property(u => u.Username).HasMaxLength(255);
            user.Property(u => u.Email).HasMaxLength(255);
            user.Property(u => u.FirstName).HasMaxLength(255);
            user.Property(u => u.LastName).HasMaxLength(255);
            user.Property(u => u.Description).HasMaxLength(2000);
            user.Property(u => u.DisplayTimezone).HasMaxLength(64);
            user.Property(u => u.Distances).HasMaxLength(16);
            user.Property(u => u.PasswordHash).HasMaxLength(255);
            user.Property(u => u.InvitationHash).HasMaxLength(64);
            user.HasIndex(u => u.InvitationHash).IsUnique();
            user.Property(u => u.Version).IsConcurrencyToken();
        });
        modelBuilder.Entity<AccessToken>(token =>
        {
            token.ToTable("access_tokens");
            token.HasIndex(t => t.TokenHash).IsUnique();
            token.Property(t => t.TokenHash).HasMaxLength(64);
            token.Property(t => t.RefreshTokenHash).HasMaxLength(64);
            token.HasIndex(t => t.RefreshTokenHash).IsUnique();
            token.HasIndex(t => t.UserId);
            token.HasOne<OAuthClient>().WithMany().HasForeignKey(t => t.OAuthClientId).OnDelete(DeleteBehavior.Cascade);
        });
        modelBuilder.Entity<Filter>(filter =>
        {
            filter.ToTable("filters");
            filter.HasIndex(f => f.StackId);
            filter.HasOne<Stack>().WithMany().HasForeignKey(f => f.StackId);
            filter.Property(f => f.Name).HasMaxLength(255);
            filter.Property(f => f.Version).IsConcurrencyToken();
        });
        modelBuilder.Entity<Term>(term =>
        {
            term.ToTable("terms");
            term.HasIndex(t => t.StackId);
            // The collector finds due terms with this index.
            term.HasIndex(t => new { t.Network, t.Active, t.NextPollAt });
            term.HasOne<Stack>().WithMany().HasForeignKey(t => t.StackId);
            term.Property(t => t.Name).HasMaxLength(255);
            term.Property(t => t.Version).IsConcurrencyToken();
            term.Property(t => t.Network).HasMaxLength(32);
            term.Property(t => t.Type).HasMaxLength(32);
        });
    }
}

/// <summary>The SQLite model and migrations (the default provider).</summary>
public sealed class SqliteTesseraDbContext(DbContextOptions<SqliteTesseraDbContext> options) : TesseraDbContext(options);

/// <summary>The PostgreSQL model and migrations.</summary>
public sealed class PostgresTesseraDbContext(DbContextOptions<PostgresTesseraDbContext> options) : TesseraDbContext(options)
{
    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        base.OnModelCreating(modelBuilder);
        // The change feed orders by writing transaction (see TileChange).
        modelBuilder.Entity<TileChange>().Property(c => c.TxId).HasDefaultValueSql("(pg_current_xact_id()::text::bigint)");
    }
}
