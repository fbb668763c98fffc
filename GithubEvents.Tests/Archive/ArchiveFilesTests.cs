using System.Security.Cryptography;
using System.Text.Json.Nodes;
using DuckDB.NET.Data;
using GithubEvents.Enrich.Archive;
using GithubEvents.Enrich.Events;
using GithubEvents.Enrich.Storage;

namespace GithubEvents.Tests.Archive;

/// <summary>
/// Each settled hour in the archive: GH Archive's lines as the events were sent, Parquet that an independent reader
/// (DuckDB) counts as the database does, and a manifest that names both files whole.
/// </summary>
public sealed class ArchiveFilesTests(PostgresServer postgres)
{
    private static readonly string[] Types = ["PushEvent", "WatchEvent", "IssuesEvent", "PullRequestEvent"];

    private static readonly short[] Sources = [SourceBits.Live, SourceBits.Archive, SourceBits.Live | SourceBits.Archive, 0, SourceBits.Watch];

    [Theory]
    [MemberData(nameof(StoragePaths.Both), MemberType = typeof(StoragePaths))]
    public async Task Each_settled_hour_is_archived_as_the_events_were_sent_in_json_gz_and_parquet_with_a_manifest(SchemaFlavor path)
    {
        await using var run = await ArchiveRun.CreateAsync(postgres, path);
        var (older, newer, current) = (new ArchiveHour(ArchiveRun.HoursAgo(3)), new ArchiveHour(ArchiveRun.HoursAgo(2)), ArchiveHour.Of(DateTime.UtcNow));
        // Several row groups and read slices an hour; some events in the same second, which the id orders.
        var sent = await run.WriteAsync(Enumerable.Range(1, 2_400).Select(i => (
            Id: 10_000_000L - i,
            Type: Types[i % Types.Length],
            Time: (i % 2 == 0 ? older : newer).Start.AddSeconds(i % 1_800),
            Sources: Sources[i % Sources.Length],
            Payload: i % Types.Length == 2 ? new JsonObject { ["action"] = "opened", ["note"] = $"é ✓ {i}" } : null)));
        await run.WriteAsync([(1L, "PushEvent", current.Start, SourceBits.Live, null)]);

        await run.ArchiveUntilAsync("SELECT count(*) = 2 FROM archive_exports", "both settled hours archived");

        // The current hour has not settled: nothing of it, and retention keeps it (from the start of the hour before it in
        // the first minutes of an hour, which have not settled either), and nothing archived.
        Assert.False(File.Exists(run.PathOf(current.JsonKey)));
        var keepFrom = (DateTime)(await Sql.ScalarAsync(run.Database.ConnectionString, "SELECT keep_from FROM archive_state"))!;
        Assert.InRange(keepFrom, newer.End, current.Start);
        Assert.Empty(Directory.EnumerateFiles(run.Target.StagingFolder));

        foreach (var hour in new[] { older, newer })
        {
            // Every line is an event as sent, ordered by created_at then id, and what v_raw_events gives byte for byte.
            var lines = run.JsonLines(hour);
            var expected = await Sql.RowsAsync(run.Database.ConnectionString,
                $"SELECT event_id, event::text FROM v_raw_events WHERE time >= '{hour.Start:O}' AND time < '{hour.End:O}' ORDER BY time, event_id");
            Assert.Equal(expected.Select(row => (string)row[1]!), lines);
            var asSent = sent.ToDictionary(e => e.Id, e => JsonNode.Parse(e.Json));
            Assert.All(lines.Zip(expected), pair => Assert.True(JsonNode.DeepEquals(asSent[(long)pair.Second[0]!], JsonNode.Parse(pair.First)), pair.First));

            // The manifest names both files with their bytes and digests, and counts the hour.
            var manifest = run.Manifest(hour);
            Assert.Equal(1, (int)manifest["revision"]!);
            Assert.Equal(HourManifest.SchemaVersion, (int)manifest["schema_version"]!);
            Assert.Equal(1_200, (long)manifest["events"]!);
            foreach (var (file, key) in new[] { ("json", hour.JsonKey), ("parquet", hour.ParquetKey) })
            {
                var bytes = await File.ReadAllBytesAsync(run.PathOf(key), TestContext.Current.CancellationToken);
                Assert.Equal(key, (string)manifest["files"]![file]!["key"]!);
                Assert.Equal(bytes.Length, (long)manifest["files"]![file]!["bytes"]!);
                Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(bytes)), (string)manifest["files"]![file]!["sha256"]!);
            }

            Assert.Equal(
                [[1, 1_200L, (string)manifest["files"]!["json"]!["sha256"]!]],
                await Sql.RowsAsync(run.Database.ConnectionString, $"SELECT revision, events, json_sha256 FROM archive_exports WHERE hour = '{hour.Start:O}'"));
        }

        // DuckDB reads the Parquet files and the json.gz files, and counts per hour, type and source as the database does.
        var database = (await Sql.RowsAsync(run.Database.ConnectionString,
                $"""
                SELECT floor(extract(epoch FROM time) / 3600)::bigint, event_type, sources, count(*)
                FROM events WHERE time < '{current.Start:O}' GROUP BY 1, 2, 3
                """))
            .Select(row => $"{row[0]} {row[1]} {ParquetEventsFile.SourceNames((short)row[2]!)} {row[3]}").Order(StringComparer.Ordinal);
        Assert.Equal(database, await DuckDbAsync(
            $"""
             SELECT CAST(epoch(created_at) AS BIGINT) // 3600, type, sources, count(*)
             FROM read_parquet('{run.Root}/parquet/*/*.parquet', hive_partitioning = true) GROUP BY ALL
             """));
        Assert.Equal(
            (await Sql.RowsAsync(run.Database.ConnectionString, $"SELECT event_type, count(*) FROM events WHERE time < '{current.Start:O}' GROUP BY 1"))
                .Select(row => $"{row[0]} {row[1]}").Order(StringComparer.Ordinal),
            await DuckDbAsync($"SELECT type, count(*) FROM read_json('{run.Root}/json/*.json.gz', format = 'newline_delimited') GROUP BY ALL"));
        Assert.Equal(
            new[] { older, newer }.Select(hour => $"{hour.Start:yyyy-MM-dd}").Distinct().Order(StringComparer.Ordinal),
            await DuckDbAsync($"SELECT DISTINCT CAST(date AS VARCHAR) FROM read_parquet('{run.Root}/parquet/*/*.parquet', hive_partitioning = true)"));
    }

    /// <summary>Each row of the answer as its values joined by spaces, ordered.</summary>
    internal static async Task<List<string>> DuckDbAsync(string sql)
    {
        await using var connection = new DuckDBConnection("Data Source=:memory:");
        await connection.OpenAsync(TestContext.Current.CancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await using var reader = await command.ExecuteReaderAsync(TestContext.Current.CancellationToken);
        var rows = new List<string>();
        while (await reader.ReadAsync(TestContext.Current.CancellationToken))
        {
            rows.Add(string.Join(' ', Enumerable.Range(0, reader.FieldCount).Select(i => Convert.ToString(reader.GetValue(i), System.Globalization.CultureInfo.InvariantCulture))));
        }

        return [.. rows.Order(StringComparer.Ordinal)];
    }
}
