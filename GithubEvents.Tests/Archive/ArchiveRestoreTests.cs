using GithubEvents.Enrich.Storage;
using GithubEvents.Ingest.Archive;
using GithubEvents.ServiceDefaults.Archive;
using GithubEvents.Tests.Ingest;
using Microsoft.Extensions.Options;
using Npgsql;

namespace GithubEvents.Tests.Archive;

/// <summary>
/// Issue 26, reading side: the backfill takes the archive Enrich keeps (GH Archive files under <c>json/</c>) from a folder
/// or an S3 prefix, and a new database rebuilt from it holds the events its files hold; an hour it lacks or cannot read
/// is reported.
/// </summary>
public sealed class ArchiveRestoreTests(PostgresServer postgres, KafkaMockCluster kafka, S3Server s3) : IClassFixture<S3Server>
{
    private const string Six = "2021-07-21-6.json.gz";
    private const string Seven = "2021-07-21-7.json.gz";
    private const string Eight = "2021-07-21-8.json.gz";
    private const string Nine = "2021-07-21-9.json.gz";

    [Fact]
    public async Task A_new_database_backfilled_from_an_archive_folder_holds_the_event_ids_and_payloads_of_its_files()
    {
        await using var backfill = await BackfillRun.StartAsync();
        var archive = Path.Combine(backfill.Folder.FullName, "archive");
        foreach (var (hour, lines) in BackfillRun.Hours)
        {
            await WriteAsync(Path.Combine(archive, StoredArchive.JsonFolder, ArchiveHour.FileName(hour)), ArchiveFixture.Gzip(lines));
        }

        await RestoreAndCompareAsync(backfill, ["--archive", archive]);
    }

    [Fact]
    public async Task A_new_database_backfilled_from_an_S3_prefix_through_the_SDK_holds_the_event_ids_and_payloads_of_its_objects()
    {
        var bucket = await s3.CreateBucketAsync("github-events/archive");
        foreach (var (hour, lines) in BackfillRun.Hours)
        {
            await PutAsync(bucket, ArchiveHour.FileName(hour), ArchiveFixture.Gzip(lines));
        }

        await using var backfill = await BackfillRun.StartAsync();
        // The bucket and prefix as Enrich's archiver is configured with them: "--archive s3".
        await RestoreAndCompareAsync(backfill, ["--archive", "s3"], s3.Settings(bucket.Name, "github-events/archive/"));
    }

    [Fact]
    public async Task An_hour_the_S3_archive_lacks_though_its_manifest_is_there_and_one_it_cannot_read_are_reported_and_the_other_hours_delivered()
    {
        var bucket = await s3.CreateBucketAsync("restore");
        await PutAsync(bucket, Six, ArchiveFixture.Gzip(BackfillRun.Hours[Hour(6)]));
        await PutManifestAsync(bucket, Seven);
        await PutAsync(bucket, Eight, "not a gzip stream\n"u8.ToArray());
        await PutAsync(bucket, Nine, ArchiveFixture.Gzip(BackfillRun.Hours[Hour(9)]));
        await using var backfill = await BackfillRun.StartAsync();
        using var host = backfill.Host(kafka, more: s3.Settings("unused-bucket"));

        var report = await BackfillRun.RunAsync(host, "--archive", $"s3://{bucket.Name}/restore", "--from", "2021-07-21T06", "--to", "2021-07-21T09");

        Assert.Equal((4, 2, 0), (report.Hours, report.Replayed, report.Empty));
        Assert.Equal(2, report.Failures.Count);
        Assert.Equal($"json/{Seven} is not in s3://{bucket.Name}/restore/json/, though the archive's manifest of that hour names it", report.Failures[0]);
        Assert.StartsWith($"json/{Eight} is corrupt at line 1: ", report.Failures[1]);
        Assert.All(report.Failures, failure => Assert.Contains(backfill.Logs.Entries, log => log.Message.Contains(failure, StringComparison.Ordinal)));
        Assert.Equal([$"json/{Six}", $"json/{Nine}"], await File.ReadAllLinesAsync(backfill.ProgressFile, TestContext.Current.CancellationToken));
        Assert.Equal(400, TopicContents.Read(kafka.BootstrapServers, host.RawTopic(), expected: 400).Count);
    }

    [Fact]
    public async Task Without_a_range_every_hour_from_the_archives_first_file_to_its_last_is_expected_and_one_without_file_or_manifest_is_empty()
    {
        await using var backfill = await BackfillRun.StartAsync();
        var archive = Path.Combine(backfill.Folder.FullName, "archive");
        await WriteAsync(Path.Combine(archive, StoredArchive.JsonFolder, Six), ArchiveFixture.Gzip(BackfillRun.Hours[Hour(6)]));
        await WriteAsync(Path.Combine(archive, StoredArchive.ManifestFolder, Manifest(Six)), "{}"u8.ToArray());
        await WriteAsync(Path.Combine(archive, StoredArchive.ManifestFolder, Manifest(Eight)), "{}"u8.ToArray());
        await WriteAsync(Path.Combine(archive, StoredArchive.JsonFolder, Nine), ArchiveFixture.Gzip(BackfillRun.Hours[Hour(9)]));
        using var host = backfill.Host(kafka);

        var report = await BackfillRun.RunAsync(host, "--archive", archive);

        Assert.Equal((4, 2, 1), (report.Hours, report.Replayed, report.Empty));
        Assert.Equal($"json/{Eight} is not in {Path.Combine(archive, StoredArchive.JsonFolder)}{Path.DirectorySeparatorChar}, though the archive's manifest of that hour names it",
            Assert.Single(report.Failures));
        Assert.Equal(400, report.Events);
        Assert.Contains(backfill.Logs.Entries, log => log.Message.Contains($"(json/{Seven}) is empty", StringComparison.Ordinal));
        // An empty hour is not recorded as done: should the archiver write it later, a rerun reads it.
        Assert.Equal([$"json/{Six}", $"json/{Nine}"], await File.ReadAllLinesAsync(backfill.ProgressFile, TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task A_restore_of_an_archive_written_by_the_archiver_takes_an_hour_without_events_as_empty_and_succeeds()
    {
        await using var run = await ArchiveRun.CreateAsync(postgres, SchemaFlavor.Postgres);
        var (before, after) = (ArchiveRun.HoursAgo(4), ArchiveRun.HoursAgo(2));
        await run.WriteAsync([(1L, "PushEvent", before.AddMinutes(5), 1, null), (2L, "WatchEvent", after.AddMinutes(5), 1, null)]);
        await run.ArchiveUntilAsync("SELECT count(*) = 2 FROM archive_exports", "both hours with events archived");
        await using var backfill = await BackfillRun.StartAsync();
        using var host = backfill.Host(kafka);

        var report = await BackfillRun.RunAsync(host, "--archive", run.Root);

        Assert.Empty(report.Failures);
        Assert.Equal((3, 2, 1, 2L), (report.Hours, report.Replayed, report.Empty, report.Events));
    }

    [Fact]
    public async Task An_S3_object_whose_body_stalls_fails_its_hour_after_GhArchive_ReadTimeout_and_the_next_hour_follows()
    {
        await using var bucket = new FakeS3Bucket("stalling");
        await bucket.InitializeAsync();
        var (six, seven) = (ArchiveFixture.Gzip(BackfillRun.Hours[Hour(6)]), ArchiveFixture.Gzip(BackfillRun.Hours[Hour(7)]));
        bucket.Put($"archive/json/{Six}", six);
        bucket.Put($"archive/json/{Seven}", seven);
        bucket.Stall($"archive/json/{Six}", six.Length / 2);
        await using var backfill = await BackfillRun.StartAsync();
        var settings = new Dictionary<string, string?>
        {
            ["Archive:S3:ServiceUrl"] = bucket.BaseAddress.ToString(),
            ["Archive:S3:Bucket"] = bucket.Name,
            ["Archive:S3:AccessKeyId"] = "FAKEKEYID",
            ["Archive:S3:SecretAccessKey"] = "FakeSecretNeverShown3",
            // Long enough that a loaded machine's slow answer is no stall, short enough for a test.
            ["GhArchive:ReadTimeout"] = "00:00:01",
        };
        using var host = backfill.Host(kafka, more: settings);

        // Without a limit the stalled read would wait for ever: the test's own limit is far above the setting's.
        var report = await BackfillRun.RunAsync(host, "--archive", "s3://stalling/archive").WaitAsync(TimeSpan.FromMinutes(2), TestContext.Current.CancellationToken);

        Assert.Equal((2, 1), (report.Hours, report.Replayed));
        var failure = Assert.Single(report.Failures);
        Assert.StartsWith($"json/{Six} could not be read past line ", failure);
        Assert.EndsWith("nothing arrived for 00:00:01 (GhArchive:ReadTimeout)", failure);
        Assert.Equal([$"json/{Seven}"], await File.ReadAllLinesAsync(backfill.ProgressFile, TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task An_S3_archive_that_cannot_be_listed_stops_the_backfill_naming_the_settings_and_not_the_secret()
    {
        var bucket = await s3.CreateBucketAsync();
        var settings = s3.Settings(bucket.Name);
        // s3rver refuses a key id it does not know (it does not check version 4 signatures).
        settings["Archive:S3:AccessKeyId"] = "UNKNOWNKEYID";
        settings["Archive:S3:SecretAccessKey"] = "WrongSecretNeverShown1";
        await using var backfill = await BackfillRun.StartAsync();
        using var host = backfill.Host(kafka, more: settings);

        var error = await Assert.ThrowsAsync<BackfillUsageException>(() => BackfillRun.RunAsync(host, "--archive", "s3"));

        Assert.StartsWith($"s3://{bucket.Name}/json/ could not be listed: ", error.Message);
        Assert.Contains("Archive:S3:SecretAccessKey", error.Message);
        Assert.DoesNotContain("WrongSecretNeverShown1", error.Message);
    }

    [Fact]
    public async Task A_folder_that_is_not_an_archive_and_half_a_pair_of_credentials_are_refused_naming_what_to_set()
    {
        await using var backfill = await BackfillRun.StartAsync();
        using var host = backfill.Host(kafka, more: new Dictionary<string, string?> { ["Archive:S3:AccessKeyId"] = "KeyIdNeverShown2" });

        var notAnArchive = await Assert.ThrowsAsync<BackfillUsageException>(() => BackfillRun.RunAsync(host, "--archive", backfill.Folder.FullName));
        var halfAPair = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync(TestContext.Current.CancellationToken));

        Assert.Contains("no folder json in it", notAnArchive.Message);
        Assert.Contains("Archive:S3:AccessKeyId and Archive:S3:SecretAccessKey go together", halfAPair.Message);
        Assert.DoesNotContain("KeyIdNeverShown2", halfAPair.Message);
    }

    private async Task RestoreAndCompareAsync(BackfillRun backfill, string[] args, IDictionary<string, string?>? settings = null)
    {
        await using var database = await EventDatabase.CreateAsync(postgres, SchemaFlavor.Postgres);
        var pipeline = EnrichPipeline.Create(kafka, database.ConnectionString);
        await using (await pipeline.StartAsync())
        {
            using var host = backfill.Host(kafka, pipeline.Topic, settings);
            var report = await BackfillRun.RunAsync(host, args);

            Assert.Empty(report.Failures);
            Assert.Equal((4, ArchiveFixture.EventCount, 0L), (report.Replayed, report.Events, report.DeadLetters));
            await EnrichPipeline.EventuallyAsync(async () => await pipeline.CountAsync() == ArchiveFixture.EventCount, "every event of the archive stored");
        }

        Assert.Empty(await DifferencesAsync(database.ConnectionString, ArchiveFixture.Lines));
    }

    // The ids of the events that are in the files and not stored, stored and not in the files, or stored otherwise (jsonb).
    internal static async Task<List<object?[]>> DifferencesAsync(string connectionString, IReadOnlyList<string> lines)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(TestContext.Current.CancellationToken);
        await using var command = new NpgsqlCommand(
            """
            WITH file AS (SELECT line::jsonb AS event FROM unnest(@lines) AS line)
            SELECT coalesce(file.event->>'id', stored.event_id::text)
            FROM file FULL JOIN v_raw_events stored ON (file.event->>'id')::bigint = stored.event_id
            WHERE file.event IS DISTINCT FROM stored.event
            """, connection);
        command.Parameters.AddWithValue("lines", lines.ToArray());
        await using var reader = await command.ExecuteReaderAsync(TestContext.Current.CancellationToken);
        return await Sql.ReadRowsAsync(reader, TestContext.Current.CancellationToken);
    }

    private static async Task WriteAsync(string path, byte[] bytes)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        await File.WriteAllBytesAsync(path, bytes, TestContext.Current.CancellationToken);
    }

    private static async Task PutAsync(ArchiveBucket bucket, string name, byte[] bytes)
    {
        using var content = new MemoryStream(bytes);
        await bucket.PutAsync($"{StoredArchive.JsonFolder}/{name}", content, TestContext.Current.CancellationToken);
    }

    private static async Task PutManifestAsync(ArchiveBucket bucket, string jsonName)
    {
        using var content = new MemoryStream("{}"u8.ToArray());
        await bucket.PutAsync($"{StoredArchive.ManifestFolder}/{Manifest(jsonName)}", content, TestContext.Current.CancellationToken);
    }

    private static string Manifest(string jsonName) => jsonName.Replace(".json.gz", ".json", StringComparison.Ordinal);

    private static DateTime Hour(int hour) => new(2021, 7, 21, hour, 0, 0, DateTimeKind.Utc);
}
