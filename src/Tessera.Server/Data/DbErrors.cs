using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace Tessera.Server.Data;

public static class DbErrors
{
    /// <summary>True when the database could not be reached or had no connection to spare: a 503, not a 500.</summary>
    public static bool IsUnavailable(Exception? e) => e switch
    {
        null => false,
        NpgsqlException { IsTransient: true } => true,
        PostgresException { SqlState: PostgresErrorCodes.TooManyConnections or PostgresErrorCodes.CannotConnectNow } => true,
        SqliteException { SqliteErrorCode: 5 or 6 } => true, // SQLITE_BUSY / SQLITE_LOCKED after the busy timeout
        _ => IsUnavailable(e.InnerException),
    };

    /// <summary>True when a save referenced a row that is gone (a tag deleted while a tile was being tagged).</summary>
    public static bool IsForeignKeyViolation(DbUpdateException e) => e.InnerException switch
    {
        SqliteException s => s.SqliteErrorCode == 19 && s.SqliteExtendedErrorCode == 787,
        PostgresException p => p.SqlState == PostgresErrorCodes.ForeignKeyViolation,
        _ => false,
    };

    /// <summary>True when a save failed on a unique index (a concurrent insert won the race).</summary>
    public static bool IsUniqueViolation(DbUpdateException e) => e.InnerException switch
    {
        SqliteException s => s.SqliteErrorCode == 19 && s.SqliteExtendedErrorCode is 2067 or 1555,
        PostgresException p => p.SqlState == PostgresErrorCodes.UniqueViolation,
        _ => false,
    };
}
