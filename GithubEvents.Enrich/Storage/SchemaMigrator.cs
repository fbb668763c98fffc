using System.Diagnostics;
using Microsoft.Extensions.Options;
using Npgsql;

namespace GithubEvents.Enrich.Storage;

/// <summary>
/// Brings the schema to the newest <see cref="Migration"/>, each version in its own transaction and recorded in
/// <c>schema_migrations</c> with its checksum, then the views and functions to their <see cref="Definition"/>s. An applied
/// version whose files changed since stops it; one recorded without a checksum (applied before checksums were kept, or
/// accepted by setting it NULL) gets the files' checksum. The caller holds the setup lock, so replicas starting together
/// apply each version once. The versions are <see cref="Migration.All"/> unless it is given others (a bench applies one
/// of its own after them).
/// </summary>
public sealed partial class SchemaMigrator(IOptions<StorageOptions> options, ILogger<SchemaMigrator> logger, IReadOnlyList<Migration>? migrations = null)
{
    private readonly IReadOnlyList<Migration> _migrations = migrations ?? Migration.All;

    public async Task<SchemaFlavor> MigrateAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        await using (var create = new NpgsqlCommand(
            """
            CREATE TABLE IF NOT EXISTS schema_migrations (
                version      integer     PRIMARY KEY,
                name         text        NOT NULL,
                storage_path text        NOT NULL,
                applied_at   timestamptz NOT NULL DEFAULT now(),
                checksum     text
            );
            ALTER TABLE schema_migrations ADD COLUMN IF NOT EXISTS checksum text
            """, connection))
        {
            await create.ExecuteNonQueryAsync(cancellationToken);
        }

        var applied = await AppliedAsync(connection, cancellationToken);
        // A schema keeps the flavour it was created with: the data would have to move to change it.
        var flavor = applied.Count > 0 ? applied.Values.First().Flavor : await ChooseFlavorAsync(connection, cancellationToken);
        await CheckAppliedAsync(connection, applied, flavor, cancellationToken);

        foreach (var migration in _migrations.Where(migration => !applied.ContainsKey(migration.Version)))
        {
            await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
            var started = Stopwatch.GetTimestamp();
            // A version of the other flavour only is recorded with nothing to run.
            if (migration.Sql(flavor).Length > 0)
            {
                LogApplying(migration.Version, migration.FileNames(flavor));
                await using var apply = new NpgsqlCommand(migration.Sql(flavor), connection) { CommandTimeout = 0 };
                await apply.ExecuteNonQueryAsync(cancellationToken);
            }

            await using (var record = new NpgsqlCommand(
                "INSERT INTO schema_migrations (version, name, storage_path, checksum) VALUES (@version, @name, @flavor, @checksum)", connection))
            {
                record.Parameters.AddWithValue("version", migration.Version);
                record.Parameters.AddWithValue("name", migration.Name);
                record.Parameters.AddWithValue("flavor", flavor.ToString());
                record.Parameters.AddWithValue("checksum", migration.Checksum(flavor));
                await record.ExecuteNonQueryAsync(cancellationToken);
            }

            await transaction.CommitAsync(cancellationToken);
            LogApplied(migration.Version, migration.Name, flavor, Stopwatch.GetElapsedTime(started));
        }

        var (created, dropped) = await DefinitionApplier.ApplyAsync(connection, flavor, cancellationToken);
        if (created.Count > 0 || dropped.Count > 0)
        {
            LogDefinitions(created.Count, string.Join(", ", created.Select(definition => definition.QualifiedName)), dropped.Count > 0 ? string.Join(", ", dropped) : "none");
        }

        return flavor;
    }

    private async Task CheckAppliedAsync(NpgsqlConnection connection, Dictionary<int, (SchemaFlavor Flavor, string? Checksum)> applied, SchemaFlavor flavor, CancellationToken cancellationToken)
    {
        foreach (var migration in _migrations.Where(migration => applied.ContainsKey(migration.Version)))
        {
            var (recorded, current) = (applied[migration.Version].Checksum, migration.Checksum(flavor));
            if (recorded is null)
            {
                await using var record = new NpgsqlCommand("UPDATE schema_migrations SET checksum = @checksum WHERE version = @version", connection);
                record.Parameters.AddWithValue("checksum", current);
                record.Parameters.AddWithValue("version", migration.Version);
                await record.ExecuteNonQueryAsync(cancellationToken);
                LogRecorded(migration.Version, migration.Name);
            }
            else if (recorded != current)
            {
                throw new ChangedMigrationException(
                    $"Schema migration {migration.Version} was applied to this database, but Storage/Migrations/{migration.FileNames(flavor)} changed since " +
                    $"(checksum {recorded[..12]} applied, {current[..12]} now). An applied migration is never edited: restore the file as it was, and put the " +
                    $"change in a new migration (or, for a view or function, in Storage/Definitions). If the change is intended and the database already " +
                    $"has it, accept it as the owner: UPDATE schema_migrations SET checksum = NULL WHERE version = {migration.Version}; the next start records the file's checksum.");
            }
        }
    }

    private static async Task<Dictionary<int, (SchemaFlavor Flavor, string? Checksum)>> AppliedAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand("SELECT version, storage_path, checksum FROM schema_migrations ORDER BY version", connection);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var applied = new Dictionary<int, (SchemaFlavor, string?)>();
        while (await reader.ReadAsync(cancellationToken))
        {
            applied.Add(reader.GetInt32(0), (Enum.Parse<SchemaFlavor>(reader.GetString(1)), reader.IsDBNull(2) ? null : reader.GetString(2)));
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

    [LoggerMessage(LogLevel.Information, "Applying schema migration {Version}: {Files}")]
    private partial void LogApplying(int version, string files);

    [LoggerMessage(LogLevel.Information, "Applied schema migration {Version} {Name} ({Flavor}) in {Elapsed}")]
    private partial void LogApplied(int version, string name, SchemaFlavor flavor, TimeSpan elapsed);

    [LoggerMessage(LogLevel.Information, "Recorded the checksum of schema migration {Version} {Name}, applied before checksums were kept or accepted since")]
    private partial void LogRecorded(int version, string name);

    [LoggerMessage(LogLevel.Information, "Applied {Count} schema definitions ({Created}); dropped for good: {Dropped}")]
    private partial void LogDefinitions(int count, string created, string dropped);

    [LoggerMessage(LogLevel.Information, "New {Flavor} schema: {Reason}")]
    private partial void LogChosen(SchemaFlavor flavor, string reason);
}
