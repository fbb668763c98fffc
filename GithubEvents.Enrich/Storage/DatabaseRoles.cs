using Npgsql;

namespace GithubEvents.Enrich.Storage;

/// <summary>
/// Creates or updates the login roles and their grants on the schema, present and future. Run by
/// <see cref="DatabaseSetup"/> under its advisory lock, after the migrations.
/// </summary>
public static class DatabaseRoles
{
    /// <summary>Grafana's role: reads every table and view, writes nothing.</summary>
    public static Task EnsureReaderAsync(NpgsqlConnection connection, string role, string password, CancellationToken cancellationToken) =>
        EnsureLoginAsync(connection, role, password,
        [
            "GRANT SELECT ON ALL TABLES IN SCHEMA public TO %I",
            // Tables and views the migrations create later are readable too.
            "ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT ON TABLES TO %I",
        ], cancellationToken);

    /// <summary>Enrich's role: reads, inserts and updates rows, and runs the rollup and retention jobs; no DDL and no DELETE of its own.</summary>
    public static Task EnsureWriterAsync(NpgsqlConnection connection, string role, string password, SchemaFlavor flavor, CancellationToken cancellationToken)
    {
        List<string> grants =
        [
            "GRANT SELECT, INSERT, UPDATE ON ALL TABLES IN SCHEMA public TO %I",
            "ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT, INSERT, UPDATE ON TABLES TO %I",
            "GRANT EXECUTE ON FUNCTION refresh_top_24h() TO %I",
        ];
        if (flavor == SchemaFlavor.Postgres)
        {
            grants.Add("GRANT USAGE ON SCHEMA rollup TO %I");
            grants.Add("GRANT INSERT ON rollup.invalidations TO %I");
            grants.Add("GRANT EXECUTE ON ALL FUNCTIONS IN SCHEMA rollup TO %I");
            // The retention of every table but events: deletes as its owner, only what has expired.
            grants.Add("GRANT EXECUTE ON FUNCTION drop_expired_rows(text, interval, integer) TO %I");
        }

        return EnsureLoginAsync(connection, role, password, grants, cancellationToken);
    }

    private static async Task EnsureLoginAsync(NpgsqlConnection connection, string role, string password, IEnumerable<string> grants, CancellationToken cancellationToken)
    {
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);

        // Roles belong to the whole cluster, which other databases' replicas share: serialise on the role itself.
        await using (var lockRole = new NpgsqlCommand("SELECT pg_advisory_xact_lock(hashtext(@name))", connection))
        {
            lockRole.Parameters.AddWithValue("name", AdvisoryLocks.RolePrefix + role);
            await lockRole.ExecuteNonQueryAsync(cancellationToken);
        }

        await using (var exists = new NpgsqlCommand("SELECT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = @role)", connection))
        {
            exists.Parameters.AddWithValue("role", role);
            var verb = (bool)(await exists.ExecuteScalarAsync(cancellationToken))! ? "ALTER" : "CREATE";
            // The password is set as a SCRAM verifier, so the password itself is in no statement and no log.
            await ExecuteFormattedAsync(connection, $"{verb} ROLE %I WITH LOGIN NOINHERIT PASSWORD %L", [role, ScramVerifier.Create(password)], cancellationToken);
        }

        await ExecuteFormattedAsync(connection, "GRANT CONNECT ON DATABASE %I TO %I", [connection.Database, role], cancellationToken);
        await ExecuteFormattedAsync(connection, "GRANT USAGE ON SCHEMA public TO %I", [role], cancellationToken);
        foreach (var grant in grants)
        {
            await ExecuteFormattedAsync(connection, grant, [role], cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
    }

    // Role and object names cannot be bind parameters in DDL: the server quotes them with format(), and the
    // statement it returns is run as it is.
    private static async Task ExecuteFormattedAsync(NpgsqlConnection connection, string template, string[] arguments, CancellationToken cancellationToken)
    {
        await using var format = new NpgsqlCommand("SELECT format(@template, VARIADIC @arguments)", connection);
        format.Parameters.AddWithValue("template", template);
        format.Parameters.AddWithValue("arguments", arguments);
        var statement = (string)(await format.ExecuteScalarAsync(cancellationToken))!;

        await using var command = new NpgsqlCommand(statement, connection);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
