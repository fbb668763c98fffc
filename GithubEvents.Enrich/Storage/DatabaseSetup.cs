using GithubEvents.ServiceDefaults;
using Microsoft.Extensions.Options;
using Npgsql;

namespace GithubEvents.Enrich.Storage;

/// <summary>
/// At start-up, under one advisory lock so that replicas starting together take turns: migrates the schema, applies
/// the TimescaleDB policies, and keeps the login roles in step with their passwords. Retries while the database is
/// unreachable; any other failure stops the service (a changed migration with its message alone: it says what to do).
/// </summary>
public sealed partial class DatabaseSetup(
    NpgsqlDataSource dataSource,
    SchemaMigrator migrator,
    StorageReadiness readiness,
    IOptions<StorageOptions> storageOptions,
    IOptions<RetentionOptions> retentionOptions,
    IOptions<DatabaseOptions> databaseOptions,
    TimeProvider time,
    IHostApplicationLifetime lifetime,
    ILogger<DatabaseSetup> logger) : BackgroundService
{
    private static readonly TimeSpan MaxDelay = TimeSpan.FromSeconds(30);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var delay = TimeSpan.FromSeconds(1);
        while (true)
        {
            try
            {
                var flavor = await RunAsync(stoppingToken);
                readiness.Ready(flavor);
                return;
            }
            catch (NpgsqlException ex) when (ex is not PostgresException { SqlState: not null } postgres || IsTransient(postgres))
            {
                LogRetrying(ex, delay);
                await Task.Delay(delay, time, stoppingToken);
                delay = Retries.Doubled(delay, MaxDelay);
            }
            catch (Exception ex) when (ex is ChangedMigrationException or SchemaNotAppliedException)
            {
                LogFailed(ex.Message);
                Environment.ExitCode = 1;
                lifetime.StopApplication();
                return;
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                LogFailed(ex.Message);
                throw;
            }
        }
    }

    /// <summary>Runs the whole setup once; without <c>Database:ApplySchema</c>, checks that it has run.</summary>
    public async Task<SchemaFlavor> RunAsync(CancellationToken cancellationToken)
    {
        if (!databaseOptions.Value.ApplySchema)
        {
            return await CheckAppliedAsync(cancellationToken);
        }

        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using (var lockSetup = new NpgsqlCommand("SELECT pg_advisory_lock(hashtext(@name))", connection))
        {
            lockSetup.Parameters.AddWithValue("name", AdvisoryLocks.Setup);
            await lockSetup.ExecuteNonQueryAsync(cancellationToken);
        }

        // Closing the connection would release the lock too; unlocking returns it to the pool clean.
        try
        {
            // A migration may build an index over every event: no time limit on a statement, but one on waiting for a
            // lock that the write path or a long query holds (the setup then tries again, and says so).
            await using (var limits = new NpgsqlCommand("SELECT set_config('statement_timeout', '0', false), set_config('lock_timeout', @lock, false)", connection))
            {
                limits.Parameters.AddWithValue("lock", $"{(int)storageOptions.Value.MigrationLockTimeout.TotalMilliseconds}ms");
                await limits.ExecuteNonQueryAsync(cancellationToken);
            }

            var flavor = await migrator.MigrateAsync(connection, cancellationToken);
            if (flavor == SchemaFlavor.TimescaleDb)
            {
                await TimescalePolicies.ApplyAsync(connection, storageOptions.Value, retentionOptions.Value, cancellationToken);
            }

            var roles = databaseOptions.Value;
            if (!string.IsNullOrEmpty(roles.ReaderPassword))
            {
                await DatabaseRoles.EnsureReaderAsync(connection, roles, cancellationToken);
            }

            if (!string.IsNullOrEmpty(roles.WriterPassword))
            {
                await DatabaseRoles.EnsureWriterAsync(connection, roles, flavor, cancellationToken);
            }

            LogReady(flavor, roles.ReaderPassword is { Length: > 0 } ? roles.ReaderRole : "(not managed)",
                roles.WriterPassword is { Length: > 0 } ? roles.WriterRole : "(not managed)");
            return flavor;
        }
        finally
        {
            if (connection.State == System.Data.ConnectionState.Open)
            {
                await using var unlock = new NpgsqlCommand("RESET statement_timeout; RESET lock_timeout; SELECT pg_advisory_unlock(hashtext(@name))", connection);
                unlock.Parameters.AddWithValue("name", AdvisoryLocks.Setup);
                await unlock.ExecuteNonQueryAsync(CancellationToken.None);
            }
        }
    }

    private async Task<SchemaFlavor> CheckAppliedAsync(CancellationToken cancellationToken)
    {
        var newest = Migration.All[^1].Version;
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var command = new NpgsqlCommand(
            "SELECT version, storage_path FROM schema_migrations ORDER BY version DESC LIMIT 1", connection);
        try
        {
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            if (await reader.ReadAsync(cancellationToken) && reader.GetInt32(0) >= newest)
            {
                var flavor = Enum.Parse<SchemaFlavor>(reader.GetString(1));
                LogChecked(flavor, newest);
                return flavor;
            }
        }
        catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.UndefinedTable)
        {
        }

        throw new SchemaNotAppliedException(
            $"The database's schema is older than this Enrich's (migration {newest}), and Database:ApplySchema is false: run 'GithubEvents.Enrich migrate' " +
            "with the owner's connection string first (a deployment's init container does), or set Database:ApplySchema to true with the owner's login.");
    }

    // Connection failures, shutdowns and lock or serialisation conflicts pass; errors in the SQL itself do not.
    private static bool IsTransient(PostgresException exception) =>
        exception.IsTransient || exception.SqlState.StartsWith("08", StringComparison.Ordinal) || exception.SqlState.StartsWith("57P", StringComparison.Ordinal);

    [LoggerMessage(LogLevel.Information, "Database ready with the {Flavor} schema; reader role {ReaderRole}, writer role {WriterRole}")]
    private partial void LogReady(SchemaFlavor flavor, string readerRole, string writerRole);

    [LoggerMessage(LogLevel.Information, "Database ready with the {Flavor} schema at migration {Version}, applied by the owner's login")]
    private partial void LogChecked(SchemaFlavor flavor, int version);

    [LoggerMessage(LogLevel.Warning, "Could not set up the database; retrying in {Delay}")]
    private partial void LogRetrying(Exception exception, TimeSpan delay);

    // A changed migration's message says what to do; any other failure goes on to the host, which logs its stack trace.
    [LoggerMessage(LogLevel.Critical, "Setting up the database failed; Enrich stops: {Problem}")]
    private partial void LogFailed(string problem);
}
