using Microsoft.Extensions.Options;
using Npgsql;

namespace GithubEvents.Enrich.Storage;

/// <summary>
/// Brings the schema to the newest <see cref="Migration"/>, each version in its own transaction and recorded in
/// <c>schema_migrations</c>. The caller holds the setup lock, so replicas starting together apply each version once.
/// </summary>
public sealed partial class SchemaMigrator(IOptions<StorageOptions> options, ILogger<SchemaMigrator> logger)
{
    public async Task<SchemaFlavor> MigrateAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        await using (var create = new NpgsqlCommand(
            """
            CREATE TABLE IF NOT EXISTS schema_migrations (
                version      integer     PRIMARY KEY,
                name         text        NOT NULL,
                storage_path text        NOT NULL,
                applied_at   timestamptz NOT NULL DEFAULT now()
            )
            """, connection))
        {
            await create.ExecuteNonQueryAsync(cancellationToken);
        }

        var applied = await AppliedAsync(connection, cancellationToken);
        // A schema keeps the flavour it was created with: the data would have to move to change it.
        var flavor = applied.Count > 0 ? applied.Values.First() : await ChooseFlavorAsync(connection, cancellationToken);

        foreach (var migration in Migration.All.Where(migration => !applied.ContainsKey(migration.Version)))
        {
            await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
            await using (var apply = new NpgsqlCommand(migration.Sql(flavor), connection))
            {
                await apply.ExecuteNonQueryAsync(cancellationToken);
            }

            await using (var record = new NpgsqlCommand(
                "INSERT INTO schema_migrations (version, name, storage_path) VALUES (@version, @name, @flavor)", connection))
            {
                record.Parameters.AddWithValue("version", migration.Version);
                record.Parameters.AddWithValue("name", migration.Name);
                record.Parameters.AddWithValue("flavor", flavor.ToString());
                await record.ExecuteNonQueryAsync(cancellationToken);
            }

            await transaction.CommitAsync(cancellationToken);
            LogApplied(migration.Version, migration.Name, flavor);
        }

        return flavor;
    }

    private static async Task<Dictionary<int, SchemaFlavor>> AppliedAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand("SELECT version, storage_path FROM schema_migrations ORDER BY version", connection);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var applied = new Dictionary<int, SchemaFlavor>();
        while (await reader.ReadAsync(cancellationToken))
        {
            applied.Add(reader.GetInt32(0), Enum.Parse<SchemaFlavor>(reader.GetString(1)));
        }

        return applied;
    }

    private async Task<SchemaFlavor> ChooseFlavorAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        var use = options.Value.TimescaleDb;
        if (use == TimescaleDbUse.Never)
        {
            LogChosen(SchemaFlavor.Postgres, "Storage:TimescaleDb is Never");
            return SchemaFlavor.Postgres;
        }

        await using var command = new NpgsqlCommand(
            """
            SELECT EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'timescaledb'),
                   EXISTS (SELECT 1 FROM pg_available_extensions WHERE name = 'timescaledb'),
                   current_setting('shared_preload_libraries') ~ '(^|[\s,"])timescaledb'
            """, connection);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        var (installed, available, preloaded) = (reader.GetBoolean(0), reader.GetBoolean(1), reader.GetBoolean(2));

        if (installed || (available && preloaded))
        {
            LogChosen(SchemaFlavor.TimescaleDb, "the server has the timescaledb extension");
            return SchemaFlavor.TimescaleDb;
        }

        var why = available ? "the extension is installed but not in shared_preload_libraries" : "the server has no timescaledb extension";
        if (use == TimescaleDbUse.Required)
        {
            throw new InvalidOperationException($"Storage:TimescaleDb is Required, but {why}. Load it or set Storage:TimescaleDb to Auto.");
        }

        LogChosen(SchemaFlavor.Postgres, why);
        return SchemaFlavor.Postgres;
    }

    [LoggerMessage(LogLevel.Information, "Applied schema migration {Version} {Name} ({Flavor})")]
    private partial void LogApplied(int version, string name, SchemaFlavor flavor);

    [LoggerMessage(LogLevel.Information, "New {Flavor} schema: {Reason}")]
    private partial void LogChosen(SchemaFlavor flavor, string reason);
}
