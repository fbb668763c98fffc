using System.Globalization;
using System.Text.RegularExpressions;
using Npgsql;

namespace Aspire.Hosting;

/// <summary>
/// The datasource provisioning file as a run writes it: the committed file with the database's PostgreSQL version and
/// TimescaleDB flag. Grafana reads both only as literals (it puts environment values into strings, and the PostgreSQL
/// plugin refuses a string for either), so they are written, not passed.
/// </summary>
public static partial class GrafanaDatasourceFile
{
    /// <summary>The datasource file in the provisioning folder.</summary>
    public const string RelativePath = "datasources/timescaledb.yaml";

    /// <summary>
    /// The server's version as Grafana's <c>postgresVersion</c> spells it (1500 for 15, 906 for 9.6), and whether the
    /// database has the TimescaleDB extension (then <c>$__timeGroup</c> uses <c>time_bucket</c>).
    /// </summary>
    public static async Task<(int PostgresVersion, bool TimescaleDb)> ReadFlagsAsync(string connectionString, CancellationToken cancellationToken)
    {
        await using var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(connectionString) { Pooling = false }.ConnectionString);
        await connection.OpenAsync(cancellationToken);
        await using var command = new NpgsqlCommand(
            "SELECT current_setting('server_version_num')::int, EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'timescaledb')", connection);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        var version = reader.GetInt32(0);
        var major = version / 10000;
        return (major >= 10 ? major * 100 : major * 100 + version / 100 % 100, reader.GetBoolean(1));
    }

    /// <summary>The committed file's text with the three values replaced, and a first line saying where it came from.</summary>
    public static string Render(string committed, int postgresVersion, bool timescaleDb, string sslMode)
    {
        var text = PostgresVersion().Replace(committed, match => match.Groups[1].Value + postgresVersion.ToString(CultureInfo.InvariantCulture), 1);
        text = TimescaleDbFlag().Replace(text, match => match.Groups[1].Value + (timescaleDb ? "true" : "false"), 1);
        text = SslMode().Replace(text, match => match.Groups[1].Value + sslMode, 1);
        return $"# Written by the AppHost for this run from {RelativePath}: postgresVersion, timescaledb and sslmode follow the database.\n{text}";
    }

    [GeneratedRegex(@"^(\s*postgresVersion:\s*)\d+", RegexOptions.Multiline)]
    private static partial Regex PostgresVersion();

    [GeneratedRegex(@"^(\s*timescaledb:\s*)(true|false)", RegexOptions.Multiline)]
    private static partial Regex TimescaleDbFlag();

    [GeneratedRegex(@"^(\s*sslmode:\s*)[a-z-]+", RegexOptions.Multiline)]
    private static partial Regex SslMode();
}
