using System.Globalization;
using System.IO.Compression;
using System.Text;
using System.Text.Json.Nodes;
using GithubEvents.Enrich.Archive;
using GithubEvents.Enrich.Storage;
using GithubEvents.ServiceDefaults.Archive;
using GithubEvents.Tests.Ingest;

namespace GithubEvents.Tests.Archive;

/// <summary>
/// Issue 26's round trip, through the whole pipeline: events captured by the live poller and a GH Archive backfill into
/// one database; Enrich's archiver writes their hours to a folder or to an S3-compatible store; a second, empty database
/// backfilled from the archive's json.gz files holds the same events, DuckDB counts the Parquet files as the first
/// database does, and every json.gz line is an event as it was sent.
/// </summary>
public sealed class ArchiveRoundTripTests(PostgresServer postgres, KafkaMockCluster kafka, S3Server s3) : IClassFixture<S3Server>
{
    // The recorded GH Archive hours (6 to 9) and, right after them, an hour that only the live feed brings.
    private static readonly DateTime LiveHour = new(2021, 7, 21, 10, 0, 0, DateTimeKind.Utc);

    private static readonly DateTime[] Hours = [.. Enumerable.Range(6, 5).Select(hour => new DateTime(2021, 7, 21, hour, 0, 0, DateTimeKind.Utc))];

    private const int LiveOnly = 150;

    // Of GH Archive's events, these are shown on the live feed too: both sources deliver them.
    private const int LiveAndArchive = 100;

    private static readonly string[] LiveTypes = ["PushEvent", "WatchEvent", "IssuesEvent"];

    [Fact]
    public async Task Hours_archived_to_a_folder_rebuild_a_new_database_with_the_same_events_and_read_back_as_the_first_database_counts_them()
    {
        var folder = Directory.CreateTempSubdirectory("archive-round-trip-");
        try
        {
            await RoundTripAsync(
                new Dictionary<string, string?> { ["Archive:Path"] = folder.FullName },
                () => Task.FromResult(folder.FullName),
                ["--archive", folder.FullName],
                restoreSettings: null);
            Assert.Empty(Directory.EnumerateFiles(Path.Combine(folder.FullName, ".staging")));
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task Hours_archived_to_S3_through_the_SDK_rebuild_a_new_database_with_the_same_events_and_read_back_as_the_first_database_counts_them()
    {
        var bucket = await s3.CreateBucketAsync("github-events/archive");
        var settings = s3.Settings(bucket.Name, bucket.Prefix);
        var copy = Directory.CreateTempSubdirectory("archive-round-trip-s3-");
        try
        {
            // The files read back from the store by a client of the test's own, into a folder DuckDB reads.
            await RoundTripAsync(settings, () => DownloadAsync(bucket, copy.FullName), ["--archive", "s3"], settings);
            Assert.Equal(Hours.Select(hour => $"{new ArchiveHour(hour).Name}.json.gz").Order(StringComparer.Ordinal),
                (await bucket.ListAsync("json", TestContext.Current.CancellationToken)).Order(StringComparer.Ordinal));
            Assert.Equal(Hours.Select(hour => $"{new ArchiveHour(hour).Name}.json").Order(StringComparer.Ordinal),
                (await bucket.ListAsync("manifest", TestContext.Current.CancellationToken)).Order(StringComparer.Ordinal));
            // Each staged file was deleted once uploaded.
            var staging = new S3ArchiveTarget(bucket).StagingFolder;
            Assert.Empty(Directory.Exists(staging) ? Directory.EnumerateFiles(staging) : []);
        }
        finally
        {
            copy.Delete(recursive: true);
        }
    }

    /// <param name="archiveSettings">Where Enrich's archiver writes.</param>
    /// <param name="archiveFolder">The archive's files in a local folder, once written.</param>
    /// <param name="restoreArgs">The backfill's command line that reads the archive.</param>
    private async Task RoundTripAsync(
        IDictionary<string, string?> archiveSettings, Func<Task<string>> archiveFolder, string[] restoreArgs, IDictionary<string, string?>? restoreSettings)
    {
        await using var first = await EventDatabase.CreateAsync(postgres, SchemaFlavor.Postgres);
        var sent = await CaptureAsync(first);
        await ArchiveAsync(first, archiveSettings);

        var stored = (await Sql.RowsAsync(first.ConnectionString, "SELECT event::text FROM v_raw_events")).Select(row => (string)row[0]!).ToList();
        Assert.Equal(sent.Count, stored.Count);

        // A second, empty database rebuilt from the archive's json.gz files holds the same event ids and payloads.
        await using var second = await EventDatabase.CreateAsync(postgres, SchemaFlavor.Postgres);
        await RestoreAsync(second, restoreArgs, restoreSettings, sent.Count);
        Assert.Empty(await ArchiveRestoreTests.DifferencesAsync(second.ConnectionString, stored));

        var folder = await archiveFolder();

        // Every json.gz line is an event as the live feed or GH Archive's file gave it (as JSON: the database keeps jsonb,
        // whose member order and spacing are PostgreSQL's), each event on one line.
        var lines = Hours.SelectMany(hour => GzipLines(Path.Combine(folder, new ArchiveHour(hour).JsonKey))).ToList();
        var asSent = sent.ToDictionary(pair => pair.Key, pair => JsonNode.Parse(pair.Value));
        var ids = lines.Select(line => long.Parse((string)JsonNode.Parse(line)!["id"]!, CultureInfo.InvariantCulture)).ToList();
        Assert.Equal(sent.Keys.Order(), ids.Order());
        Assert.All(lines.Zip(ids), pair => Assert.True(JsonNode.DeepEquals(asSent[pair.Second], JsonNode.Parse(pair.First)), pair.First));

        // DuckDB, an independent reader, counts the Parquet files per hour, type and source as the first database does.
        var counted = (await Sql.RowsAsync(first.ConnectionString,
                "SELECT floor(extract(epoch FROM time) / 3600)::bigint, event_type, sources, count(*) FROM events GROUP BY 1, 2, 3"))
            .Select(row => $"{row[0]} {row[1]} {ParquetEventsFile.SourceNames((short)row[2]!)} {row[3]}").Order(StringComparer.Ordinal).ToList();
        Assert.Contains(counted, row => row.Contains(" live,archive ", StringComparison.Ordinal));
        Assert.Equal(counted, await ArchiveFilesTests.DuckDbAsync(
            $"""
             SELECT CAST(epoch(created_at) AS BIGINT) // 3600, type, sources, count(*)
             FROM read_parquet('{folder}/parquet/*/*.parquet', hive_partitioning = true) GROUP BY ALL
             """));
    }

    /// <summary>
    /// The live poller against the fake feed and a backfill of GH Archive's recorded hours, into <paramref name="database"/>
    /// through Enrich (its archive off); returns each event by its id as it was sent.
    /// </summary>
    private async Task<Dictionary<long, string>> CaptureAsync(EventDatabase database)
    {
        var recorded = ArchiveFixture.Lines.ToDictionary(line => long.Parse((string)JsonNode.Parse(line)!["id"]!, CultureInfo.InvariantCulture));
        var liveOnly = Enumerable.Range(0, LiveOnly).ToDictionary(
            i => 95_000_000_000L + i,
            i => Encoding.UTF8.GetString(TestEvents.Event(95_000_000_000L + i, LiveTypes[i % LiveTypes.Length], LiveHour.AddSeconds(i * 20), $"live{i % 30}", 8_000 + (i % 30), $"live/repo{i % 4}")));
        var alsoLive = BackfillRun.Hours[Hours[2]].Select(line => recorded.Single(pair => pair.Value == line)).OrderBy(pair => pair.Key).Take(LiveAndArchive).ToList();

        var pipeline = EnrichPipeline.Create(kafka, database.ConnectionString);
        await using (await pipeline.StartAsync())
        {
            await LivePollerRun.PollIntoAsync(kafka, pipeline, [.. alsoLive.Select(pair => pair.Value), .. liveOnly.OrderBy(pair => pair.Key).Select(pair => pair.Value)]);
            await using (var backfill = await BackfillRun.StartAsync())
            {
                backfill.ServeFixtureHours();
                using var host = backfill.Host(kafka, pipeline.Topic);
                var report = await BackfillRun.RunAsync(host, "--from", "2021-07-21T06", "--to", "2021-07-21T09");
                Assert.Empty(report.Failures);
            }

            var messages = ArchiveFixture.EventCount + LiveAndArchive + LiveOnly;
            await EnrichPipeline.EventuallyAsync(async () => pipeline.CommittedTotal() == messages, "every message of both sources consumed", TimeSpan.FromMinutes(2));
        }

        Assert.Equal(LiveAndArchive, await pipeline.CountAsync("SELECT count(*) FROM events WHERE sources = 3"));
        return recorded.Concat(liveOnly).ToDictionary();
    }

    /// <summary>A replica of Enrich with the archive on runs until every hour of the database is archived.</summary>
    private async Task ArchiveAsync(EventDatabase database, IDictionary<string, string?> archiveSettings)
    {
        var pipeline = EnrichPipeline.Create(kafka, database.ConnectionString);
        var settings = new Dictionary<string, string?>(archiveSettings) { ["Archive:Enabled"] = "true" };
        await using (await pipeline.StartAsync(settings: settings))
        {
            await EnrichPipeline.EventuallyAsync(
                async () => await pipeline.CountAsync("SELECT count(*) FROM archive_exports") == Hours.Length, "every hour archived", TimeSpan.FromMinutes(2));
        }

        Assert.Equal(
            Hours.Select(hour => $"{hour:O} 1").ToList(),
            (await Sql.RowsAsync(database.ConnectionString, "SELECT hour, revision FROM archive_exports ORDER BY hour"))
                .Select(row => $"{((DateTime)row[0]!).ToUniversalTime():O} {row[1]}").ToList());
    }

    private async Task RestoreAsync(EventDatabase database, string[] args, IDictionary<string, string?>? settings, int events)
    {
        var pipeline = EnrichPipeline.Create(kafka, database.ConnectionString);
        await using (await pipeline.StartAsync())
        {
            await using var backfill = await BackfillRun.StartAsync();
            using var host = backfill.Host(kafka, pipeline.Topic, settings);
            var report = await BackfillRun.RunAsync(host, args);

            Assert.Empty(report.Failures);
            Assert.Equal((Hours.Length, Hours.Length, (long)events, 0L), (report.Hours, report.Replayed, report.Events, report.DeadLetters));
            await EnrichPipeline.EventuallyAsync(async () => await pipeline.CountAsync() == events, "every event of the archive stored", TimeSpan.FromMinutes(2));
        }
    }

    /// <summary>Each hour's three files from the bucket, at their keys below <paramref name="folder"/>.</summary>
    private static async Task<string> DownloadAsync(ArchiveBucket bucket, string folder)
    {
        foreach (var hour in Hours.Select(start => new ArchiveHour(start)))
        {
            foreach (var key in new[] { hour.JsonKey, hour.ParquetKey, hour.ManifestKey })
            {
                var path = Path.Combine(folder, key);
                Directory.CreateDirectory(Path.GetDirectoryName(path)!);
                var (content, _) = await bucket.OpenAsync(key, TestContext.Current.CancellationToken);
                await using (content)
                await using (var file = File.Create(path))
                {
                    await content.CopyToAsync(file, TestContext.Current.CancellationToken);
                }
            }
        }

        return folder;
    }

    private static List<string> GzipLines(string path)
    {
        using var reader = new StreamReader(new GZipStream(File.OpenRead(path), CompressionMode.Decompress));
        var lines = new List<string>();
        while (reader.ReadLine() is { } line)
        {
            lines.Add(line);
        }

        return lines;
    }
}
