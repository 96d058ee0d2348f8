using Microsoft.EntityFrameworkCore;
using Tessera.Server.Data;

namespace Tessera.Tests.Data;

/// <summary>Neither provider's migrations lag behind the model (the CI check of decisions §1).</summary>
public sealed class MigrationTests
{
    [Fact]
    public void Sqlite_migrations_match_the_model()
    {
        using var db = new SqliteDesignTimeFactory().CreateDbContext([]);
        Assert.False(db.Database.HasPendingModelChanges(), "run: dotnet ef migrations add NAME --project src/Tessera.Server --context SqliteTesseraDbContext --output-dir Data/Migrations/Sqlite");
    }

    [Fact]
    public void Postgres_migrations_match_the_model()
    {
        using var db = new PostgresDesignTimeFactory().CreateDbContext([]);
        Assert.False(db.Database.HasPendingModelChanges(), "run: dotnet ef migrations add NAME --project src/Tessera.Server --context PostgresTesseraDbContext --output-dir Data/Migrations/Postgres");
    }

    [Fact]
    public void Both_providers_have_the_same_migrations()
    {
        using var sqlite = new SqliteDesignTimeFactory().CreateDbContext([]);
        using var postgres = new PostgresDesignTimeFactory().CreateDbContext([]);
        static IEnumerable<string> Names(DbContext db) => db.Database.GetMigrations().Select(m => m[15..]);
        Assert.Equal(Names(sqlite), Names(postgres));
    }
}
