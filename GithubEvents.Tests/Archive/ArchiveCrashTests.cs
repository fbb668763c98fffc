using System.Diagnostics;
using System.Text.Json.Nodes;
using GithubEvents.Enrich.Archive;
using GithubEvents.Enrich.Events;
using GithubEvents.Enrich.Storage;
using Npgsql;

namespace GithubEvents.Tests.Archive;

/// <summary>
/// Enrich killed (SIGKILL) while it exports, at random points of the writing, again and again: wherever a reader looks
/// there is only ever a whole file, and the archive ends complete.
/// </summary>
public sealed class ArchiveCrashTests(PostgresServer postgres, KafkaMockCluster kafka)
{
    private const int Kills = 6;
    private const int EventsPerHour = 8_000;

    [Fact]
    public async Task Killing_Enrich_during_exports_never_leaves_a_partial_file_where_a_reader_looks()
    {
        await using var run = await ArchiveRun.CreateAsync(postgres, SchemaFlavor.Postgres);
        var hours = new[] { new ArchiveHour(ArchiveRun.HoursAgo(4)), new ArchiveHour(ArchiveRun.HoursAgo(3)), new ArchiveHour(ArchiveRun.HoursAgo(2)) };
        // Payloads of a couple of kilobytes, so that an export takes long enough to be cut anywhere.
        var filler = new string('x', 2_000);
        foreach (var (hour, index) in hours.Select((hour, index) => (hour, index)))
        {
            await run.WriteAsync(Enumerable.Range(0, EventsPerHour).Select(i => (
                (long)(index * EventsPerHour + i + 1), "PushEvent", hour.Start.AddSeconds(i % 3_600), SourceBits.Live, (JsonObject?)new JsonObject { ["filler"] = filler })));
        }

        var random = new Random();
        for (var kill = 0; kill < Kills; kill++)
        {
            using var enrich = Start(run);
            // Killed once the export's files have grown a random number of times: certainly while an hour is written.
            var growths = random.Next(1, 6);
            var writing = await GrowingStagedFilesAsync(run, enrich, growths);
            enrich.Kill(entireProcessTree: true);
            await enrich.WaitForExitAsync(TestContext.Current.CancellationToken);
            Assert.Contains(Directory.EnumerateFiles(run.Target.StagingFolder), file => writing.Contains(file));
            await AssertOnlyWholeFilesAsync(run);
        }

        using (var enrich = Start(run))
        {
            try
            {
                await EnrichPipeline.EventuallyAsync(async () => (long)(await Sql.ScalarAsync(run.Database.ConnectionString, "SELECT count(*) FROM archive_exports"))! == hours.Length,
                    "every hour archived", TimeSpan.FromMinutes(3));
            }
            finally
            {
                enrich.Kill(entireProcessTree: true);
                await enrich.WaitForExitAsync(CancellationToken.None);
            }
        }

        await AssertOnlyWholeFilesAsync(run);
        Assert.All(hours, hour => Assert.True(File.Exists(run.PathOf(hour.ManifestKey)), hour.ManifestKey));
    }

    // Waits until the staged files' bytes have grown between two looks <paramref name="growths"/> times; returns those files.
    private static async Task<HashSet<string>> GrowingStagedFilesAsync(ArchiveRun run, Process enrich, int growths)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(2);
        var last = new Dictionary<string, long>();
        while (true)
        {
            Assert.False(enrich.HasExited, "Enrich stopped before it exported");
            Assert.True(DateTime.UtcNow < deadline, "no export began within 2 minutes");
            var now = Directory.Exists(run.Target.StagingFolder)
                ? Directory.EnumerateFiles(run.Target.StagingFolder).ToDictionary(file => file, file => new FileInfo(file).Length)
                : [];
            if (now.Any(file => last.TryGetValue(file.Key, out var before) && file.Value > before) && --growths == 0)
            {
                return [.. now.Keys];
            }

            last = now;
            await Task.Delay(TimeSpan.FromMilliseconds(20), TestContext.Current.CancellationToken);
        }
    }

    // Every file at a key holds the whole hour: the json.gz reads to its end with a line per event, DuckDB reads every event
    // of the Parquet file, and a manifest names the digests of the files beside it (every export here is of the same rows).
    private static async Task AssertOnlyWholeFilesAsync(ArchiveRun run)
    {
        var outsideStaging = Directory.EnumerateFiles(run.Root, "*", SearchOption.AllDirectories)
            .Where(file => !file.StartsWith(run.Target.StagingFolder, StringComparison.Ordinal)).ToList();
        foreach (var file in outsideStaging)
        {
            var key = Path.GetRelativePath(run.Root, file).Replace(Path.DirectorySeparatorChar, '/');
            var hour = new ArchiveHour(DateTime.ParseExact(Path.GetFileName(file).Split('.')[0], "yyyy-MM-dd-H", System.Globalization.CultureInfo.InvariantCulture,
                System.Globalization.DateTimeStyles.AdjustToUniversal | System.Globalization.DateTimeStyles.AssumeUniversal));
            if (key == hour.JsonKey)
            {
                Assert.Equal(EventsPerHour, run.JsonLines(hour).Count(line => JsonNode.Parse(line) is not null));
            }
            else if (key == hour.ParquetKey)
            {
                Assert.Equal([$"{EventsPerHour}"], await ArchiveFilesTests.DuckDbAsync($"SELECT count(*) FROM read_parquet('{file}')"));
            }
            else
            {
                Assert.Equal(hour.ManifestKey, key);
                var manifest = run.Manifest(hour);
                Assert.Equal(EventsPerHour, (long)manifest["events"]!);
                foreach (var name in new[] { "json", "parquet" })
                {
                    var named = manifest["files"]![name]!;
                    var digest = await FileDigest.OfAsync(run.PathOf((string)named["key"]!), (string)named["key"]!, TestContext.Current.CancellationToken);
                    Assert.Equal((string)named["sha256"]!, digest.Sha256);
                }
            }
        }
    }

    private Process Start(ArchiveRun run)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            ArgumentList = { Path.Combine(AppContext.BaseDirectory, "GithubEvents.Enrich.dll") },
            WorkingDirectory = AppContext.BaseDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            Environment =
            {
                ["ConnectionStrings__kafka"] = kafka.BootstrapServers,
                [$"ConnectionStrings__{WriterDataSource.ConnectionName}"] = new NpgsqlConnectionStringBuilder(run.Database.ConnectionString).ConnectionString,
                ["Kafka__Topics__Raw"] = KafkaMockCluster.NewTopicName(),
                ["ASPNETCORE_URLS"] = "http://127.0.0.1:0",
                ["Profiles__Enabled"] = "false",
                ["Archive__Path"] = run.Root,
                ["Archive__RowGroupRows"] = "1000",
                ["Archive__ReadRows"] = "500",
            },
        };
        var process = Process.Start(start)!;
        // Read, so that a full pipe never blocks the process.
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }
}
