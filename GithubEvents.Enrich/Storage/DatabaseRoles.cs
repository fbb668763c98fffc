using Npgsql;

namespace GithubEvents.Enrich.Storage;

/// <summary>
/// Creates or updates the login roles and their grants on the schema, present and future. Run by
/// <see cref="DatabaseSetup"/> under its advisory lock, after the migrations.
/// </summary>
public static class DatabaseRoles
{
    /// <summary>
    /// Grafana's role: reads the <see cref="ReaderRelations"/> and nothing else, writes nothing, and has a statement
    /// timeout and a connection limit. Grants of earlier versions (every table, present and future) are taken back.
    /// </summary>
    public static Task EnsureReaderAsync(NpgsqlConnection connection, DatabaseOptions roles, SchemaFlavor flavor, CancellationToken cancellationToken)
    {
        List<string> grants =
        [
            "REVOKE ALL ON ALL TABLES IN SCHEMA public FROM %I",
            "ALTER DEFAULT PRIVILEGES IN SCHEMA public REVOKE ALL ON TABLES FROM %I",
            .. ReaderRelations.Names.Select(relation => $"GRANT SELECT ON public.{relation} TO %I"),
            $"ALTER ROLE %I CONNECTION LIMIT {roles.ReaderConnectionLimit}",
            $"ALTER ROLE %I SET statement_timeout = '{(long)roles.ReaderStatementTimeout.TotalMilliseconds}ms'",
        ];
        if (flavor == SchemaFlavor.TimescaleDb)
        {
            // v_aggregate_freshness calls it as its reader.
            grants.Add("GRANT EXECUTE ON FUNCTION aggregate_watermark(integer) TO %I");
        }

        return EnsureLoginAsync(connection, roles.ReaderRole, roles.ReaderPassword!, grants, cancellationToken);
    }

    /// <summary>
    /// Enrich's role: reads, inserts and updates rows (of the schema's own records, only reads the migrations' versions),
    /// and runs the rollup refresh, the rankings and the retention functions, each a <c>SECURITY DEFINER</c> function of the owner; no DDL, no DELETE of
    /// its own, and none of the other rollup functions (which clear and rebuild rollup tables). Grants of earlier versions
    /// (every rollup function) are taken back.
    /// </summary>
    public static Task EnsureWriterAsync(NpgsqlConnection connection, DatabaseOptions roles, SchemaFlavor flavor, CancellationToken cancellationToken)
    {
        List<string> grants =
        [
            "GRANT SELECT, INSERT, UPDATE ON ALL TABLES IN SCHEMA public TO %I",
            "REVOKE ALL ON schema_migrations, schema_definitions FROM %I",
            // Enrich checks the schema's version as the writer where another login applies it (Database:ApplySchema).
            "GRANT SELECT ON schema_migrations TO %I",
            "ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT, INSERT, UPDATE ON TABLES TO %I",
            "GRANT EXECUTE ON FUNCTION refresh_top_24h() TO %I",
        ];
        if (flavor == SchemaFlavor.Postgres)
        {
            grants.Add("GRANT USAGE ON SCHEMA rollup TO %I");
            grants.Add("GRANT INSERT ON rollup.invalidations TO %I");
            grants.Add("REVOKE EXECUTE ON ALL FUNCTIONS IN SCHEMA rollup FROM %I");
            grants.Add("GRANT EXECUTE ON FUNCTION rollup.refresh(interval, integer) TO %I");
            // The retention: events only below what the rollups hold; every other table, only what has expired.
            grants.Add("GRANT EXECUTE ON FUNCTION rollup.drop_events_older_than(interval, integer) TO %I");
            grants.Add("GRANT EXECUTE ON FUNCTION drop_expired_rows(text, interval, integer) TO %I");
        }

        return EnsureLoginAsync(connection, roles.WriterRole, roles.WriterPassword!, grants, cancellationToken);
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
