using System.Diagnostics;
using Npgsql;

namespace GithubEvents.Tests.Infrastructure;

/// <summary>
/// A throwaway PostgreSQL cluster from the local server binaries, on a free loopback port, deleted on dispose.
/// Runs as the <c>postgres</c> user when the tests run as root, since initdb refuses root.
/// </summary>
public sealed class PostgresServer : IAsyncLifetime
{
    private readonly string _directory = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"github-events-pg-{Guid.NewGuid():N}");
    private string _binDirectory = "";

    public int Port { get; } = FreePort.Next();

    /// <summary>The superuser's password: connections authenticate with SCRAM, as on a real server.</summary>
    public string Password { get; } = Convert.ToHexString(System.Security.Cryptography.RandomNumberGenerator.GetBytes(16));

    /// <summary>Connection string of the <c>postgres</c> superuser to the <c>postgres</c> database.</summary>
    public string ConnectionString => DatabaseConnectionString("postgres");

    private string DataDirectory => System.IO.Path.Combine(_directory, "data");

    /// <summary>
    /// Whether the server has the TimescaleDB extension; the cluster then preloads it, and the storage tests run on
    /// both paths.
    /// </summary>
    public bool HasTimescaleDb => File.Exists(System.IO.Path.Combine(_binDirectory, "..", "lib", "timescaledb.so"));

    /// <summary>
    /// A server certificate and its private key (PEM) to serve TLS with (<c>ssl=on</c>); none: the cluster offers no TLS.
    /// Set before the cluster starts.
    /// </summary>
    public (string CertificatePem, string KeyPem)? Tls { get; init; }

    private static bool IsRoot => Environment.UserName == "root";

    public async ValueTask InitializeAsync()
    {
        _binDirectory = FindBinDirectory();
        Directory.CreateDirectory(_directory);
        if (IsRoot)
        {
            await RunAsync("chown", ["postgres:postgres", _directory], asPostgres: false);
        }

        var passwordFile = System.IO.Path.Combine(_directory, "superuser-password");
        await File.WriteAllTextAsync(passwordFile, Password);
        if (IsRoot)
        {
            await RunAsync("chown", ["postgres:postgres", passwordFile], asPostgres: false);
        }

        await RunAsync(System.IO.Path.Combine(_binDirectory, "initdb"),
            ["-D", DataDirectory, "-U", "postgres", "--auth=scram-sha-256", $"--pwfile={passwordFile}", "--encoding=UTF8", "--locale=C", "--no-sync"]);
        File.Delete(passwordFile);
        if (Tls is { } tls)
        {
            // server.crt and server.key in the data directory are what ssl=on reads; the key only its owner may read.
            await WriteServerFileAsync("server.crt", tls.CertificatePem);
            await WriteServerFileAsync("server.key", tls.KeyPem);
        }

        await StartAsync();
    }

    // fsync=off survives a killed server (the kernel still holds the writes), not a machine crash: fine for
    // tests. synchronous_commit stays on so that a committed row is never lost to StopAsync.
    public Task StartAsync() =>
        RunAsync(System.IO.Path.Combine(_binDirectory, "pg_ctl"),
        [
            "-D", DataDirectory, "-l", System.IO.Path.Combine(_directory, "server.log"), "-w", "-t", "60",
            "-o", $"-p {Port} -c listen_addresses=127.0.0.1 -k {_directory} -c fsync=off -c full_page_writes=off -c max_connections=200{Preload}{(Tls is null ? "" : " -c ssl=on")}",
            "start",
        ]);

    private async Task WriteServerFileAsync(string name, string text)
    {
        var path = System.IO.Path.Combine(DataDirectory, name);
        await File.WriteAllTextAsync(path, text);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }

        if (IsRoot)
        {
            await RunAsync("chown", ["postgres:postgres", path], asPostgres: false);
        }
    }

    private string Preload => HasTimescaleDb ? " -c shared_preload_libraries=timescaledb -c timescaledb.telemetry_level=off" : "";

    /// <summary>Stops the server at once, as a crash or an outage would.</summary>
    public Task StopAsync() =>
        RunAsync(System.IO.Path.Combine(_binDirectory, "pg_ctl"), ["-D", DataDirectory, "-m", "immediate", "-w", "stop"]);

    public string DatabaseConnectionString(string database) =>
        new NpgsqlConnectionStringBuilder
        {
            Host = "127.0.0.1",
            Port = Port,
            Username = "postgres",
            Password = Password,
            Database = database,
            Pooling = false,
        }.ConnectionString;

    /// <summary>Creates an empty database of its own for one test and returns its connection string.</summary>
    public async Task<string> CreateDatabaseAsync(string? name = null)
    {
        name ??= $"test_{Guid.NewGuid():N}";
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", connection);
        await command.ExecuteNonQueryAsync();
        return DatabaseConnectionString(name);
    }

    /// <summary>
    /// The database's schema as <c>pg_dump --schema-only --no-owner</c> writes it, without its comments, settings and the
    /// random key of each dump's <c>\restrict</c>.
    /// </summary>
    public async Task<string> DumpSchemaAsync(string connectionString)
    {
        var database = new NpgsqlConnectionStringBuilder(connectionString).Database;
        var dump = await RunAsync(System.IO.Path.Combine(_binDirectory, "pg_dump"),
            ["--schema-only", "--no-owner", $"--dbname=postgresql://postgres:{Password}@127.0.0.1:{Port}/{database}"], asPostgres: false);
        return string.Join("\n", dump.Split('\n').Where(line => line.Length > 0 && !line.StartsWith("--", StringComparison.Ordinal) &&
            !line.StartsWith("SET ", StringComparison.Ordinal) && !line.StartsWith("SELECT pg_catalog.set_config", StringComparison.Ordinal) &&
            !line.StartsWith("\\restrict ", StringComparison.Ordinal) && !line.StartsWith("\\unrestrict ", StringComparison.Ordinal)));
    }

    public async ValueTask DisposeAsync()
    {
        if (Directory.Exists(DataDirectory) && File.Exists(System.IO.Path.Combine(DataDirectory, "postmaster.pid")))
        {
            await StopAsync();
        }

        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }
    }

    private static string FindBinDirectory()
    {
        var onPath = (Environment.GetEnvironmentVariable("PATH") ?? "")
            .Split(System.IO.Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .FirstOrDefault(dir => File.Exists(System.IO.Path.Combine(dir, "initdb")) && File.Exists(System.IO.Path.Combine(dir, "pg_ctl")));
        if (onPath is not null)
        {
            // Debian links the binaries into /usr/local/bin; the extensions live beside the real ones.
            var initdb = new FileInfo(System.IO.Path.Combine(onPath, "initdb"));
            return (initdb.ResolveLinkTarget(returnFinalTarget: true) as FileInfo)?.DirectoryName ?? onPath;
        }

        var installed = Directory.Exists("/usr/lib/postgresql")
            ? Directory.GetDirectories("/usr/lib/postgresql")
                .Select(version => System.IO.Path.Combine(version, "bin"))
                .Where(bin => File.Exists(System.IO.Path.Combine(bin, "initdb")))
                .OrderByDescending(bin => int.TryParse(new DirectoryInfo(bin).Parent!.Name, out var major) ? major : 0)
                .FirstOrDefault()
            : null;

        return installed ?? throw new InvalidOperationException(
            "No PostgreSQL server binaries found (initdb and pg_ctl on PATH or under /usr/lib/postgresql/*/bin). " +
            "Install them with 'apt-get install postgresql' (.ci/run does this).");
    }

    private async Task<string> RunAsync(string fileName, IReadOnlyList<string> arguments, bool asPostgres = true)
    {
        var startInfo = IsRoot && asPostgres
            ? new ProcessStartInfo("runuser", ["-u", "postgres", "--", fileName, .. arguments])
            : new ProcessStartInfo(fileName, arguments);
        startInfo.RedirectStandardOutput = true;
        startInfo.RedirectStandardError = true;
        startInfo.WorkingDirectory = _directory;

        using var process = Process.Start(startInfo)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            var log = System.IO.Path.Combine(_directory, "server.log");
            throw new InvalidOperationException(
                $"{System.IO.Path.GetFileName(fileName)} exited with {process.ExitCode}: {await output}{await error}" +
                (File.Exists(log) ? $"\nserver.log:\n{await File.ReadAllTextAsync(log)}" : ""));
        }

        return await output;
    }
}
