using System.Text;
using GithubEvents.Enrich.Storage;
using GithubEvents.Ingest.Archive;
using GithubEvents.Tests.Ingest;

namespace GithubEvents.Tests.Capture;

/// <summary>
/// v_capture_by_hour on a population known in advance, through the whole pipeline: the live poller against the fake
/// feed and the backfill against the fake archive, both publishing to the topic Enrich consumes.
/// </summary>
public sealed class CaptureEstimateTests(PostgresServer postgres, KafkaMockCluster kafka, ITestOutputHelper output)
{
    private const int Population = 4_000;

    // The live poller's stepped clock starts in this hour, so that its poll figures and the events share it.
    private static readonly DateTime Hour = StepTimeProvider.DefaultStart.UtcDateTime;

    [Theory]
    [MemberData(nameof(StoragePaths.Both), MemberType = typeof(StoragePaths))]
    public async Task The_estimate_of_an_hour_both_sources_sampled_at_random_is_within_3_percent_of_the_truth(SchemaFlavor path)
    {
        await using var database = await EventDatabase.CreateAsync(postgres, path);
        var pipeline = EnrichPipeline.Create(kafka, database.ConnectionString);
        var random = new Random(14);
        var population = Enumerable.Range(0, Population)
            .Select(i => Encoding.UTF8.GetString(TestEvents.Event(90_000_000_000L + i, "IssuesEvent", Hour.AddSeconds(i * 3600.0 / Population), $"user{i % 900}", 5_000 + (i % 900), $"o/r{i % 50}")))
            .ToList();
        var live = population.Where(_ => random.NextDouble() < 0.6).ToList();
        var archive = population.Where(_ => random.NextDouble() < 0.7).ToList();
        var both = live.Intersect(archive).Count();

        await using (await pipeline.StartAsync())
        {
            var feedRequests = await LivePollerRun.PollIntoAsync(kafka, pipeline, live);
            await BackfillAsync(pipeline, archive);
            await EnrichPipeline.EventuallyAsync(async () => await pipeline.CountAsync() == live.Count + archive.Count - both, "every event of both sources stored");
            await EnrichPipeline.EventuallyAsync(async () => await pipeline.CountAsync("SELECT coalesce(sum(requests), 0) FROM ingest_polls") == feedRequests, "the poll figures stored");
        }

        await database.RefreshAggregatesAsync();
        var row = (await Sql.RowsAsync(database.ConnectionString,
            $"""
            SELECT events, live_events, archive_events, both_events, estimated_events, estimate_low, estimate_high, live_share, archive_share,
                   live_share_low, live_share_high, new_events, missed_polls
            FROM v_capture_by_hour WHERE hour = '{Hour:O}'
            """)).Single();
        var (estimate, low, high) = ((double)row[4]!, (double)row[5]!, (double)row[6]!);
        var (liveShare, archiveShare) = ((double)row[7]!, (double)row[8]!);
        output.WriteLine($"N = {Population}: live {live.Count}, archive {archive.Count}, both {both}; estimate {estimate:F0} ({low:F0} to {high:F0}); live share {liveShare:P1}, archive share {archiveShare:P1}");

        Assert.Equal([(long)(live.Count + archive.Count - both), live.Count, archive.Count, both], row.Take(4).Select(value => (long)value!));
        Assert.InRange(estimate, Population * 0.97, Population * 1.03);
        Assert.InRange(Population, low, high);
        Assert.InRange(liveShare, (live.Count / (double)Population) - 0.03, (live.Count / (double)Population) + 0.03);
        Assert.InRange(archiveShare, (archive.Count / (double)Population) - 0.03, (archive.Count / (double)Population) + 0.03);
        // Chapman's estimate and its interval, as the issue gives them.
        var (n1, n2, m) = ((double)live.Count, (double)archive.Count, (double)both);
        var n = ((n1 + 1) * (n2 + 1) / (m + 1)) - 1;
        var margin = 1.96 * Math.Sqrt((n1 + 1) * (n2 + 1) * (n1 - m) * (n2 - m) / ((m + 1) * (m + 1) * (m + 2)));
        Assert.Equal([n, n - margin, n + margin, n1 / (n + margin), n1 / (n - margin)], new[] { row[4], row[5], row[6], row[9], row[10] }.Select(value => (double)value!), (a, b) => Math.Abs(a - b) < 1e-9 * Math.Max(1, Math.Abs(a)));
        // Every live event was new to the poller when it came, and no poll missed any.
        Assert.Equal([(long)live.Count, 0L], row.Skip(11).Select(value => (long)value!));
    }

    [Theory]
    [MemberData(nameof(StoragePaths.Both), MemberType = typeof(StoragePaths))]
    public async Task An_hour_of_the_archive_alone_has_its_figures_and_no_estimate(SchemaFlavor path)
    {
        await using var database = await EventDatabase.CreateAsync(postgres, path);
        var pipeline = EnrichPipeline.Create(kafka, database.ConnectionString);
        var archive = Enumerable.Range(0, 500)
            .Select(i => Encoding.UTF8.GetString(TestEvents.Event(91_000_000_000L + i, "WatchEvent", Hour.AddSeconds(i * 7), $"user{i}", 7_000 + i, "o/r")))
            .ToList();

        await using (await pipeline.StartAsync())
        {
            await BackfillAsync(pipeline, archive);
            await EnrichPipeline.EventuallyAsync(async () => await pipeline.CountAsync() == archive.Count, "the archive hour stored");
        }

        await database.RefreshAggregatesAsync();
        var row = Assert.Single(await Sql.RowsAsync(database.ConnectionString,
            """
            SELECT events, live_events, archive_events, both_events, requests, estimated_events, estimate_low, estimate_high, live_share, archive_share
            FROM v_capture_by_hour
            """));
        Assert.Equal([500L, 0L, 500L, 0L, 0L], row.Take(5));
        Assert.All(row.Skip(5), Assert.Null);
    }

    private async Task BackfillAsync(EnrichPipeline pipeline, List<string> archive)
    {
        await using var backfill = await BackfillRun.StartAsync();
        backfill.Archive.Serve(ArchiveHour.FileName(Hour), ArchiveFixture.Gzip([.. archive]));
        using var host = backfill.Host(kafka, pipeline.Topic);
        await BackfillRun.RunAsync(host, "--from", Hour.ToString("yyyy-MM-ddTHH", System.Globalization.CultureInfo.InvariantCulture), "--to", Hour.ToString("yyyy-MM-ddTHH", System.Globalization.CultureInfo.InvariantCulture));
    }
}
