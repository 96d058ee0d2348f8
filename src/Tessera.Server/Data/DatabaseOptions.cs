using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;
using Npgsql;
using Tessera.Server.Caching;
using Tessera.Server.Features.Tiles;

namespace Tessera.Server.Data;

public enum DatabaseProvider
{
    Sqlite,
    Postgres,
}

/// <summary>Chooses and configures the database from <c>Tessera:Database:Provider</c> and <c>ConnectionStrings:Tessera</c>.</summary>
public static class Database
{
    public const string DefaultSqlitePath = "./data/tessera.db";

    public static DatabaseProvider ProviderFrom(IConfiguration configuration)
    {
        var name = configuration["Tessera:Database:Provider"] ?? "sqlite";
        return name.ToLowerInvariant() switch
        {
            "sqlite" => DatabaseProvider.Sqlite,
            "postgres" or "postgresql" or "npgsql" => DatabaseProvider.Postgres,
            _ => throw new InvalidOperationException($"Tessera:Database:Provider must be 'sqlite' or 'postgres', not '{name}'"),
        };
    }

    public static IServiceCollection AddTesseraDatabase(this IServiceCollection services, IConfiguration configuration)
    {
        var provider = ProviderFrom(configuration);
        var connectionString = configuration.GetConnectionString("Tessera");
        if (provider == DatabaseProvider.Postgres)
        {
            if (string.IsNullOrWhiteSpace(connectionString))
            {
                throw new InvalidOperationException("ConnectionStrings:Tessera is required with the postgres provider");
            }

            services.AddDbContextPool<TesseraDbContext, PostgresTesseraDbContext>((sp, o) =>
                ConfigurePostgres(o, connectionString).AddInterceptors(sp.GetRequiredService<SaveHookInterceptor>()));
        }
        else
        {
            var sqlite = SqliteConnectionString(connectionString);
            services.AddDbContextPool<TesseraDbContext, SqliteTesseraDbContext>((sp, o) =>
                ConfigureSqlite(o, sqlite).AddInterceptors(sp.GetRequiredService<SaveHookInterceptor>()));
        }

        services.AddSingleton<StackGenerations>();
        services.AddSingleton<TileWireGenerations>();
        services.AddSingleton<SaveHookInterceptor>();
        // First: the hooks after it see the versions it moves.
        services.AddSingleton<ISaveHook, TileVersionHook>();
        services.AddSingleton<ISaveHook, ContentChangeHook>();
        return services;
    }

    /// <summary>Makes sure the SQLite file's folder exists; defaults to <c>./data/tessera.db</c>.</summary>
    public static string SqliteConnectionString(string? configured)
    {
        var builder = new SqliteConnectionStringBuilder(string.IsNullOrWhiteSpace(configured) ? $"Data Source={DefaultSqlitePath}" : configured);
        var folder = Path.GetDirectoryName(Path.GetFullPath(builder.DataSource));
        if (folder is not null && builder.Mode != SqliteOpenMode.Memory)
        {
            Directory.CreateDirectory(folder);
        }

        builder.Pooling = true;
        return builder.ToString();
    }

    public static DbContextOptionsBuilder ConfigureSqlite(DbContextOptionsBuilder options, string connectionString) =>
        options.UseSqlite(connectionString, o => o.MigrationsAssembly(typeof(Database).Assembly.GetName().Name))
            .AddInterceptors(new SqlitePragmas());

    /// <summary>
    /// Npgsql's default pool (100) meets PostgreSQL's default <c>max_connections</c> (100, some
    /// reserved) and fails under load; 32 is plenty for one node. Set "Maximum Pool Size" to change it.
    /// </summary>
    public const int DefaultPostgresPoolSize = 32;

    /// <summary>Prepared statements Npgsql keeps per connection ("Max Auto Prepare").</summary>
    public const int DefaultPostgresAutoPrepare = 64;

    public static DbContextOptionsBuilder ConfigurePostgres(DbContextOptionsBuilder options, string connectionString)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        if (!connectionString.Contains("Maximum Pool Size", StringComparison.OrdinalIgnoreCase)
            && !connectionString.Contains("MaxPoolSize", StringComparison.OrdinalIgnoreCase))
        {
            builder.MaxPoolSize = DefaultPostgresPoolSize;
        }

        if (!connectionString.Contains("Max Auto Prepare", StringComparison.OrdinalIgnoreCase)
            && !connectionString.Contains("MaxAutoPrepare", StringComparison.OrdinalIgnoreCase))
        {
            // Statements run often are prepared once per connection: PostgreSQL skips parsing and
            // planning them again, which is most of its CPU on the filter-content path (bench/README.md).
            builder.MaxAutoPrepare = DefaultPostgresAutoPrepare;
        }

        return options.UseNpgsql(builder.ToString());
    }
}

/// <summary>Design-time factory for <c>dotnet ef migrations add … --context SqliteTesseraDbContext</c>.</summary>
public sealed class SqliteDesignTimeFactory : IDesignTimeDbContextFactory<SqliteTesseraDbContext>
{
    public SqliteTesseraDbContext CreateDbContext(string[] args)
    {
        var options = new DbContextOptionsBuilder<SqliteTesseraDbContext>();
        options.UseSqlite("Data Source=design-time.db");
        return new SqliteTesseraDbContext(options.Options);
    }
}

/// <summary>Design-time factory for <c>dotnet ef migrations add … --context PostgresTesseraDbContext</c>.</summary>
public sealed class PostgresDesignTimeFactory : IDesignTimeDbContextFactory<PostgresTesseraDbContext>
{
    public PostgresTesseraDbContext CreateDbContext(string[] args)
    {
        var options = new DbContextOptionsBuilder<PostgresTesseraDbContext>();
        options.UseNpgsql("Host=localhost;Database=tessera_design");
        return new PostgresTesseraDbContext(options.Options);
    }
}
