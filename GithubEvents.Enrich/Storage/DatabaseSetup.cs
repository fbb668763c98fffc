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

    // How often Enrich without Database:ApplySchema looks again at a schema older than its own.
    private static readonly TimeSpan SchemaPollInterval = TimeSpan.FromSeconds(2);

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
            else
            {
                await RollupSchedule.ApplyAsync(connection, storageOptions.Value, cancellationToken);
            }

            var roles = databaseOptions.Value;
            if (!string.IsNullOrEmpty(roles.ReaderPassword))
            {
                await DatabaseRoles.EnsureReaderAsync(connection, roles, flavor, cancellationToken);
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

    /// <summary>
    /// Waits, up to <c>Database:SchemaWaitTimeout</c>, for the schema to reach this Enrich's newest migration. Each look
    /// takes the setup lock shared: the owner's login holds it from its first migration to its last grant, so a setup
    /// under way is waited for, not taken as done once its last version is recorded.
    /// </summary>
    private async Task<SchemaFlavor> CheckAppliedAsync(CancellationToken cancellationToken)
    {
        var newest = Migration.All[^1].Version;
        var wait = databaseOptions.Value.SchemaWaitTimeout;
        var deadline = time.GetUtcNow() + wait;
        var said = false;
        while (true)
        {
            var (applied, flavor) = await AppliedAsync(deadline - time.GetUtcNow(), cancellationToken);
            if (applied >= newest && flavor is { } current)
            {
                LogChecked(current, newest);
                return current;
            }

            var left = deadline - time.GetUtcNow();
            if (left <= TimeSpan.Zero)
            {
                throw new SchemaNotAppliedException(
                    $"The database's schema is at migration {applied}, older than this Enrich's ({newest}), after waiting {wait} (Database:SchemaWaitTimeout), " +
                    "and Database:ApplySchema is false: run 'GithubEvents.Enrich migrate' with the owner's connection string first " +
                    "(a deployment's init container does), or set Database:ApplySchema to true with the owner's login.");
            }

            if (!said)
            {
                LogWaiting(applied, newest, left);
                said = true;
            }

            await Task.Delay(left < SchemaPollInterval ? left : SchemaPollInterval, time, cancellationToken);
        }
    }

    /// <summary>The newest migration applied and its flavour (0 and none before the first), read under the setup lock, shared.</summary>
    private async Task<(int Version, SchemaFlavor? Flavor)> AppliedAsync(TimeSpan lockWait, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using (var lockShared = new NpgsqlCommand(
            "SELECT set_config('lock_timeout', @wait, true); SELECT pg_advisory_xact_lock_shared(hashtext(@name))", connection))
        {
            // A lock_timeout of 0 would wait for ever.
            lockShared.Parameters.AddWithValue("wait", $"{Math.Max(1, (long)lockWait.TotalMilliseconds)}ms");
            lockShared.Parameters.AddWithValue("name", AdvisoryLocks.Setup);
            try
            {
                await lockShared.ExecuteNonQueryAsync(cancellationToken);
            }
            catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.LockNotAvailable)
            {
                throw new SchemaNotAppliedException(
                    $"The schema's setup by the owner's login ('GithubEvents.Enrich migrate') was still under way after {databaseOptions.Value.SchemaWaitTimeout} " +
                    "(Database:SchemaWaitTimeout): let it finish, or raise Database:SchemaWaitTimeout for a migration that takes longer.");
            }
        }

        await using var command = new NpgsqlCommand("SELECT version, storage_path FROM schema_migrations ORDER BY version DESC LIMIT 1", connection);
        try
        {
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            return await reader.ReadAsync(cancellationToken) ? (reader.GetInt32(0), Enum.Parse<SchemaFlavor>(reader.GetString(1))) : (0, null);
        }
        catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.UndefinedTable)
        {
            return (0, null);
        }
    }

    // Connection failures, shutdowns and lock or serialisation conflicts pass; errors in the SQL itself do not.
    private static bool IsTransient(PostgresException exception) =>
        exception.IsTransient || exception.SqlState.StartsWith("08", StringComparison.Ordinal) || exception.SqlState.StartsWith("57P", StringComparison.Ordinal);

    [LoggerMessage(LogLevel.Information, "Database ready with the {Flavor} schema; reader role {ReaderRole}, writer role {WriterRole}")]
    private partial void LogReady(SchemaFlavor flavor, string readerRole, string writerRole);

    [LoggerMessage(LogLevel.Information, "Database ready with the {Flavor} schema at migration {Version}, applied by the owner's login")]
    private partial void LogChecked(SchemaFlavor flavor, int version);

    [LoggerMessage(LogLevel.Information,
        "The schema is at migration {Applied}, this Enrich's is {Newest}: waiting up to {Wait} for the owner's login to apply it ('GithubEvents.Enrich migrate', Database:SchemaWaitTimeout)")]
    private partial void LogWaiting(int applied, int newest, TimeSpan wait);

    [LoggerMessage(LogLevel.Warning, "Could not set up the database; retrying in {Delay}")]
    private partial void LogRetrying(Exception exception, TimeSpan delay);

    // A changed migration's message says what to do; any other failure goes on to the host, which logs its stack trace.
    [LoggerMessage(LogLevel.Critical, "Setting up the database failed; Enrich stops: {Problem}")]
    private partial void LogFailed(string problem);
}
