using System.Net.Sockets;
using Npgsql;

namespace GithubEvents.Enrich.Storage;

/// <summary>
/// Sorts a failed write's exception into <see cref="DatabaseErrorKind"/> by its SQLSTATE; no I/O. A fault of the
/// server, the connection or the schema is transient: no event causes it, so splitting a batch for it would send
/// every event to the dead-letter topic. Only what an event's own values can trigger is permanent.
/// </summary>
public static class DatabaseErrors
{
    /// <param name="diskFull">
    /// The database answered the last write with 53100: PostgreSQL may answer the next with an internal error (XX000,
    /// "unexpected data beyond EOF") for the pages the failed write left, which is then the same full disk.
    /// </param>
    public static DatabaseErrorKind Classify(Exception exception, bool diskFull) => exception switch
    {
        PostgresException refusal => Classify(refusal.SqlState, diskFull),
        NpgsqlException or TimeoutException or IOException or SocketException or OperationCanceledException => DatabaseErrorKind.Transient,
        _ when exception.InnerException is { } inner => Classify(inner, diskFull),
        // Anything else failed on the client, in code that reads the batch's values: the values may well be the cause.
        _ => DatabaseErrorKind.Permanent,
    };

    public static DatabaseErrorKind Classify(string sqlState, bool diskFull) => sqlState switch
    {
        // Data exceptions and program limits: a bad value, or one too long for an index.
        _ when sqlState.StartsWith("22", StringComparison.Ordinal) || sqlState.StartsWith("54", StringComparison.Ordinal) => DatabaseErrorKind.RefusedValue,
        PostgresErrorCodes.InternalError => diskFull ? DatabaseErrorKind.Transient : DatabaseErrorKind.Permanent,
        _ => Class(sqlState) switch
        {
            // 08 connection, 53 insufficient resources (a full disk, too many connections, out of memory), 57 operator
            // intervention (shutdown, cannot connect now, statement timeout or cancel), 40 rollbacks (serialization,
            // deadlock), 55 object not in prerequisite state (lock not available), 58 system errors (I/O), 25 invalid
            // transaction state (a read-only standby after a fail-over, an idle transaction timed out).
            "08" or "53" or "57" or "40" or "55" or "58" or "25" => DatabaseErrorKind.Transient,
            // 42 (undefined table or column, privilege, syntax) and 3D/3F (no such database or schema), 28 (authorisation):
            // the writer's fixed statements against the schema or the role. Another replica's migration, a restore or an
            // operator mends them; no event does, and none would be stored until they are. Liveness
            // (Enrich:StallTimeout) restarts a replica stuck on them, which runs the migrations again.
            "42" or "3D" or "3F" or "28" => DatabaseErrorKind.Transient,
            // 23 integrity (a CHECK, a foreign or unique key), P0 a trigger's RAISE, 2F/38/39 a function or trigger that
            // failed, XX001/XX002 corrupt data, 0A a feature an event's chunk does not support, and the rest.
            _ => DatabaseErrorKind.Permanent,
        },
    };

    private static string Class(string sqlState) => sqlState.Length >= 2 ? sqlState[..2] : sqlState;
}
