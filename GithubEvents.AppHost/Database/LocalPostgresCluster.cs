using System.Diagnostics;
using Npgsql;

namespace Aspire.Hosting;

/// <summary>
/// The data folder of the local server: initialised once (superuser <c>postgres</c> with the password parameter's value,
/// SCRAM authentication, UTF-8), and kept across runs.
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
                await RunAsync("chown", [$"{LocalAccount.ServerAccount}:", dataDirectory, passwordFile], cancellationToken);
            }

            var (command, arguments) = LocalAccount.AsServerAccount(binaries.Initdb,
                "-D", dataDirectory, "-U", "postgres", "--auth=scram-sha-256", $"--pwfile={passwordFile}", "--encoding=UTF8", "--locale=C");
            await RunAsync(command, arguments, cancellationToken);
        }
        finally
        {
            File.Delete(passwordFile);
        }
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

    private static async Task RunAsync(string command, string[] arguments, CancellationToken cancellationToken)
    {
        using var process = Process.Start(new ProcessStartInfo(command, arguments) { RedirectStandardOutput = true, RedirectStandardError = true })!;
        var output = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var error = process.StandardError.ReadToEndAsync(cancellationToken);
        await process.WaitForExitAsync(cancellationToken);
        if (process.ExitCode != 0)
        {
            throw new DistributedApplicationException(
                $"Initialising the local PostgreSQL cluster failed ({Path.GetFileName(command)} exited with {process.ExitCode}): {(await error).Trim()} {(await output).Trim()}");
        }
    }
}
