using Npgsql;

namespace GithubEvents.Enrich.Storage;

/// <summary>
/// Brings the views and functions to their <see cref="Definition"/>s, as Flyway's repeatable migrations do: a definition
/// whose text changed since it was applied (<c>schema_definitions</c>), or whose object is missing, is dropped with
/// everything that depends on it, and they are created again in dependency order; a definition whose file is gone is
/// dropped. All in one transaction, under the caller's setup lock.
/// </summary>
public static class DefinitionApplier
{
    /// <summary>Applies what changed; returns the definitions created and the names dropped for good.</summary>
    public static async Task<(IReadOnlyList<Definition> Created, IReadOnlyList<string> Dropped)> ApplyAsync(
        NpgsqlConnection connection, SchemaFlavor flavor, CancellationToken cancellationToken)
    {
        await ExecuteAsync(connection,
            """
            CREATE TABLE IF NOT EXISTS schema_definitions (
                name       text        PRIMARY KEY,
                kind       text        NOT NULL,
                checksum   text        NOT NULL,
                applied_at timestamptz NOT NULL DEFAULT now()
            )
            """, cancellationToken);

        var recorded = await RecordedAsync(connection, cancellationToken);
        var existing = await ExistingAsync(connection, cancellationToken);
        var definitions = Definition.InOrder(flavor);
        var removed = recorded.Keys.Except(definitions.Select(definition => definition.QualifiedName)).ToList();
        var stale = new List<Definition>();
        foreach (var definition in definitions)
        {
            // In dependency order, so a definition that names a stale one is seen after it.
            if (recorded.GetValueOrDefault(definition.QualifiedName).Checksum != definition.Checksum || !existing.Contains(definition.QualifiedName) ||
                stale.Any(definition.Names))
            {
                stale.Add(definition);
            }
        }

        if (removed.Count == 0 && stale.Count == 0)
        {
            return ([], []);
        }

        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        foreach (var name in removed)
        {
            await DropAsync(connection, name, Enum.Parse<DefinitionKind>(recorded[name].Kind), cancellationToken);
            await ExecuteAsync(connection, "DELETE FROM schema_definitions WHERE name = @name", cancellationToken, ("name", name));
        }

        foreach (var definition in Enumerable.Reverse(stale))
        {
            await DropAsync(connection, definition.QualifiedName, definition.Kind, cancellationToken);
        }

        // A drop cascades to whatever depends on the object in the database, which may be more than the files name.
        existing = await ExistingAsync(connection, cancellationToken);
        var created = definitions.Where(definition => stale.Contains(definition) || !existing.Contains(definition.QualifiedName)).ToList();
        foreach (var definition in created)
        {
            await ExecuteAsync(connection, definition.Sql, cancellationToken);
            await ExecuteAsync(connection,
                """
                INSERT INTO schema_definitions (name, kind, checksum) VALUES (@name, @kind, @checksum)
                ON CONFLICT (name) DO UPDATE SET kind = excluded.kind, checksum = excluded.checksum, applied_at = now()
                """, cancellationToken, ("name", definition.QualifiedName), ("kind", definition.Kind.ToString()), ("checksum", definition.Checksum));
        }

        await transaction.CommitAsync(cancellationToken);
        return (created, removed);
    }

    private static async Task DropAsync(NpgsqlConnection connection, string qualifiedName, DefinitionKind kind, CancellationToken cancellationToken)
    {
        if (kind == DefinitionKind.View)
        {
            await ExecuteAsync(connection, $"DROP VIEW IF EXISTS {qualifiedName} CASCADE", cancellationToken);
            return;
        }

        // Every overload: a changed signature is a new function to PostgreSQL.
        var signatures = new List<string>();
        await using (var command = new NpgsqlCommand(
            "SELECT p.oid::regprocedure::text FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace WHERE n.nspname || '.' || p.proname = @name", connection))
        {
            command.Parameters.AddWithValue("name", qualifiedName);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                signatures.Add(reader.GetString(0));
            }
        }

        foreach (var signature in signatures)
        {
            await ExecuteAsync(connection, $"DROP {(kind == DefinitionKind.Procedure ? "PROCEDURE" : "FUNCTION")} {signature} CASCADE", cancellationToken);
        }
    }

    private static async Task<Dictionary<string, (string Kind, string Checksum)>> RecordedAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand("SELECT name, kind, checksum FROM schema_definitions", connection);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var recorded = new Dictionary<string, (string, string)>();
        while (await reader.ReadAsync(cancellationToken))
        {
            recorded.Add(reader.GetString(0), (reader.GetString(1), reader.GetString(2)));
        }

        return recorded;
    }

    private static async Task<HashSet<string>> ExistingAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(
            """
            SELECT n.nspname || '.' || c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE c.relkind = 'v'
            UNION
            SELECT n.nspname || '.' || p.proname FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
            """, connection);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var existing = new HashSet<string>();
        while (await reader.ReadAsync(cancellationToken))
        {
            existing.Add(reader.GetString(0));
        }

        return existing;
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql, CancellationToken cancellationToken, params (string Name, object Value)[] parameters)
    {
        await using var command = new NpgsqlCommand(sql, connection) { CommandTimeout = 0 };
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }

        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
