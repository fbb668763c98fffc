using System.Diagnostics;
using System.Text.RegularExpressions;
using GithubEvents.Enrich.Storage;
using GithubEvents.Tests.AppHost;
using Npgsql;

namespace GithubEvents.Tests.Enrich;

/// <summary>
/// A database as the releases before <c>Storage/Definitions</c> left it: their migration files, read from this repository's
/// history at the last such release, applied up to a version and recorded without checksums, as those releases did.
/// </summary>
internal static partial class LegacySchema
{
    /// <summary>The last commit whose migrations defined the views and functions themselves.</summary>
    public const string Release = "c26efe6440aebb7c7680fea84d73e0c6e21c4ed3";

    private const string Folder = "GithubEvents.Enrich/Storage/Migrations";

    public static async Task CreateAsync(string connectionString, SchemaFlavor path, int upToVersion)
    {
        var variant = path == SchemaFlavor.TimescaleDb ? "timescaledb" : "postgres";
        var files = (await GitAsync("ls-tree", "--name-only", $"{Release}:{Folder}"))
            .Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(file => (File: file, Match: FileName().Match(file)))
            .Where(file => file.Match.Success && int.Parse(file.Match.Groups["version"].Value) <= upToVersion &&
                           (file.Match.Groups["variant"].Value is "" || file.Match.Groups["variant"].Value == variant))
            // The file for both flavours first, as the migrator ran them.
            .OrderBy(file => file.Match.Groups["version"].Value).ThenBy(file => file.Match.Groups["variant"].Value.Length)
            .ToList();

        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(TestContext.Current.CancellationToken);
        await ExecuteAsync(connection, "CREATE TABLE schema_migrations (version integer PRIMARY KEY, name text NOT NULL, storage_path text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())");
        foreach (var version in files.GroupBy(file => (Version: int.Parse(file.Match.Groups["version"].Value), Name: file.Match.Groups["name"].Value)))
        {
            await using var transaction = await connection.BeginTransactionAsync(TestContext.Current.CancellationToken);
            foreach (var file in version)
            {
                await ExecuteAsync(connection, await GitAsync("show", $"{Release}:{Folder}/{file.File}"));
            }

            await ExecuteAsync(connection, $"INSERT INTO schema_migrations (version, name, storage_path) VALUES ({version.Key.Version}, '{version.Key.Name}', '{path}')");
            await transaction.CommitAsync(TestContext.Current.CancellationToken);
        }
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(TestContext.Current.CancellationToken);
    }

    private static async Task<string> GitAsync(params string[] arguments)
    {
        var startInfo = new ProcessStartInfo("git", ["-C", AppHostProcess.RepositoryRoot(), .. arguments])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var process = Process.Start(startInfo)!;
        var output = process.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
        var error = await process.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
        await process.WaitForExitAsync(TestContext.Current.CancellationToken);
        Assert.True(process.ExitCode == 0, $"git {string.Join(' ', arguments)}: {error} (these tests read the earlier release's migrations from the repository's history: a full clone has it)");
        return await output;
    }

    [GeneratedRegex(@"^(?<version>\d{4})_(?<name>[a-z0-9_]+)(\.(?<variant>timescaledb|postgres))?\.sql$")]
    private static partial Regex FileName();
}
