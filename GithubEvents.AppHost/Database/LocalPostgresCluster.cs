using System.Diagnostics;
using Npgsql;

namespace Aspire.Hosting;

/// <summary>
/// The data folder of the local server: initialised once (superuser <c>postgres</c> with the password parameter's value,
/// SCRAM authentication, UTF-8), kept across runs, and its server stopped cleanly.
/// </summary>
internal sealed class LocalPostgresCluster(PostgresBinaries binaries, string dataDirectory)
{
    public bool IsInitialized => File.Exists(Path.Combine(dataDirectory, "PG_VERSION"));

    public async Task InitializeAsync(string password, CancellationToken cancellationToken)
    {
        if (IsInitialized)
        {
            return;
        }

        var parent = Path.GetDirectoryName(dataDirectory)!;
        Directory.CreateDirectory(dataDirectory);
        var passwordFile = Path.Combine(parent, $".initdb-{Guid.NewGuid():N}");
        await File.WriteAllTextAsync(passwordFile, password, cancellationToken);
        try
        {
            if (LocalAccount.IsRoot)
            {
                await RunAsync("Initialising the local PostgreSQL cluster", "chown", [$"{LocalAccount.ServerAccount}:", dataDirectory, passwordFile], cancellationToken);
            }

            var (command, arguments) = LocalAccount.AsServerAccount(binaries.Initdb,
                "-D", dataDirectory, "-U", "postgres", "--auth=scram-sha-256", $"--pwfile={passwordFile}", "--encoding=UTF8", "--locale=C");
            await RunAsync("Initialising the local PostgreSQL cluster", command, arguments, cancellationToken);
        }
        finally
        {
            File.Delete(passwordFile);
        }
    }

    /// <summary>
    /// Stops the server, if it runs, with <c>pg_ctl stop -m fast</c>: on the SIGTERM a process gets, PostgreSQL waits for
    /// every client to leave, and would be killed before the next start finds a clean cluster.
    /// </summary>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (!File.Exists(Path.Combine(dataDirectory, "postmaster.pid")))
        {
            return;
        }

        var (command, arguments) = LocalAccount.AsServerAccount(binaries.PgCtl, "-D", dataDirectory, "-m", "fast", "-w", "-t", "30", "stop");
        await RunAsync("Stopping the local PostgreSQL server", command, arguments, cancellationToken);
    }

    /// <summary>Creates the database when the server does not have it yet.</summary>
    public static async Task EnsureDatabaseAsync(string serverConnectionString, string database, CancellationToken cancellationToken)
    {
        await using var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(serverConnectionString) { Pooling = false, Database = "postgres" }.ConnectionString);
        await connection.OpenAsync(cancellationToken);
        await using var exists = new NpgsqlCommand("SELECT EXISTS (SELECT FROM pg_database WHERE datname = @name)", connection);
        exists.Parameters.AddWithValue("name", database);
        if ((bool)(await exists.ExecuteScalarAsync(cancellationToken))!)
        {
            return;
        }

        await using var create = new NpgsqlCommand($"CREATE DATABASE \"{database.Replace("\"", "\"\"", StringComparison.Ordinal)}\"", connection);
        await create.ExecuteNonQueryAsync(cancellationToken);
    }

    private static async Task RunAsync(string what, string command, string[] arguments, CancellationToken cancellationToken)
    {
        using var process = Process.Start(new ProcessStartInfo(command, arguments) { RedirectStandardOutput = true, RedirectStandardError = true })!;
        var output = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var error = process.StandardError.ReadToEndAsync(cancellationToken);
        await process.WaitForExitAsync(cancellationToken);
        if (process.ExitCode != 0)
        {
            throw new DistributedApplicationException(
                $"{what} failed ({Path.GetFileName(command)} exited with {process.ExitCode}): {(await error).Trim()} {(await output).Trim()}");
        }
    }
}
