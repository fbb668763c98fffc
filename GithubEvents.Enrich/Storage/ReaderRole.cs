using Npgsql;

namespace GithubEvents.Enrich.Storage;

/// <summary>
/// Creates or updates the read-only login role and grants it SELECT on every table of the database's
/// public schema, present and future. Idempotent, and safe when several replicas run it at once.
/// </summary>
public static class ReaderRole
{
    public static async Task EnsureAsync(NpgsqlDataSource dataSource, string role, string password, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);

        // Roles are shared by the whole cluster: serialise replicas so that only one creates it.
        await ExecuteAsync(connection, "SELECT pg_advisory_xact_lock(hashtext('github-events:reader-role'))", cancellationToken);

        await using (var exists = new NpgsqlCommand("SELECT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = @role)", connection))
        {
            exists.Parameters.AddWithValue("role", role);
            var verb = (bool)(await exists.ExecuteScalarAsync(cancellationToken))! ? "ALTER" : "CREATE";
            await ExecuteFormattedAsync(connection, $"SELECT format('{verb} ROLE %I WITH LOGIN NOINHERIT PASSWORD %L', @role, @verifier)",
                role, ScramVerifier.Create(password), cancellationToken);
        }

        await ExecuteFormattedAsync(connection, "SELECT format('GRANT CONNECT ON DATABASE %I TO %I', current_database(), @role)", role, null, cancellationToken);
        await ExecuteFormattedAsync(connection, "SELECT format('GRANT USAGE ON SCHEMA public TO %I', @role)", role, null, cancellationToken);
        await ExecuteFormattedAsync(connection, "SELECT format('GRANT SELECT ON ALL TABLES IN SCHEMA public TO %I', @role)", role, null, cancellationToken);
        // Tables this role (the writer) creates later are readable too.
        await ExecuteFormattedAsync(connection, "SELECT format('ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT ON TABLES TO %I', @role)", role, null, cancellationToken);

        await transaction.CommitAsync(cancellationToken);
    }

    // Role and object names cannot be bind parameters in DDL: the server quotes them with format() and the
    // statement it returns is run as it is.
    private static async Task ExecuteFormattedAsync(NpgsqlConnection connection, string formatQuery, string role, string? verifier, CancellationToken cancellationToken)
    {
        await using var format = new NpgsqlCommand(formatQuery, connection);
        format.Parameters.AddWithValue("role", role);
        if (verifier is not null)
        {
            format.Parameters.AddWithValue("verifier", verifier);
        }

        var statement = (string)(await format.ExecuteScalarAsync(cancellationToken))!;
        await ExecuteAsync(connection, statement, cancellationToken);
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
