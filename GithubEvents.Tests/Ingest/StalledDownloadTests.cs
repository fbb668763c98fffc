using System.Globalization;
using System.Text;
using GithubEvents.Ingest.Archive;

namespace GithubEvents.Tests.Ingest;

/// <summary>Issue 25, item 5: a download whose body stalls is abandoned after GhArchive:ReadTimeout and resumed where it stopped.</summary>
public sealed class StalledDownloadTests(KafkaMockCluster kafka)
{
    private static readonly Dictionary<string, string?> Settings = new()
    {
        // Long enough that a loaded machine's slow answer is no stall, short enough for a test.
        ["GhArchive:ReadTimeout"] = "00:00:01",
        ["GhArchive:ReadAttempts"] = "3",
    };

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task A_stalled_download_times_out_and_resumes_where_it_stopped_and_every_event_is_published_once(bool honoursRange)
    {
        var hour = BackfillRun.Hours.Keys.Min();
        var lines = BackfillRun.Hours[hour];
        var gzip = ArchiveFixture.Gzip(lines);
        var file = ArchiveHour.FileName(hour);
        await using var run = await BackfillRun.StartAsync();
        run.Archive.Serve(file, gzip);
        run.Archive.HonoursRange = honoursRange;
        run.Archive.Stall(file, gzip.Length / 3, 2 * gzip.Length / 3);
        using var host = run.Host(kafka, more: Settings);

        var report = await BackfillRun.RunAsync(host, "--from", "2021-07-21T06", "--to", "2021-07-21T06");

        Assert.Empty(report.Failures);
        Assert.Equal((lines.Length, 0), (report.Events, report.DeadLetters));
        var events = TopicContents.Read(kafka.BootstrapServers, host.RawTopic(), lines.Length);
        Assert.Equal(lines.Order(StringComparer.Ordinal), events.Select(message => Encoding.UTF8.GetString(message.Message.Value)).Order(StringComparer.Ordinal));
        var requests = run.Archive.Requests.Where(request => request.Path == "/" + file).ToList();
        Assert.Null(requests[0].Header("Range"));
        // Each resumption asks from the byte the download stopped at.
        var resumptions = requests.Where(request => request.Header("Range") is not null).ToList();
        Assert.Contains($"bytes={gzip.Length / 3}-", resumptions.Select(request => request.Header("Range")));
        Assert.Contains($"bytes={2 * gzip.Length / 3}-", resumptions.Select(request => request.Header("Range")));
        Assert.All(resumptions, request => Assert.Equal(honoursRange ? 206 : 200, request.Status));
        Assert.True(run.Logs.Entries.Count(log => log.Message.Contains("GhArchive:ReadTimeout", StringComparison.Ordinal)) >= 2);
    }

    [Fact]
    public async Task A_download_that_keeps_stalling_fails_its_hour_after_its_attempts_and_the_backfill_goes_on()
    {
        await using var run = await BackfillRun.StartAsync();
        run.ServeFixtureHours();
        var stalled = ArchiveHour.FileName(BackfillRun.Hours.Keys.Min());
        run.Archive.Stall(stalled, Enumerable.Repeat(1_000L, 10).ToArray());
        using var host = run.Host(kafka, more: Settings);

        var report = await BackfillRun.RunAsync(host, "--from", "2021-07-21T06", "--to", "2021-07-21T07");

        var failure = Assert.Single(report.Failures);
        Assert.StartsWith($"{stalled} could not be read past line ", failure);
        Assert.Contains("3 attempts in a row", failure);
        Assert.Equal(1, report.Replayed);
        Assert.True(run.Archive.Requests.Count(request => request.Path == "/" + stalled) >= 3);
        Assert.DoesNotContain(stalled, await File.ReadAllTextAsync(run.ProgressFile, TestContext.Current.CancellationToken));
        Assert.True(report.Events >= BackfillRun.Hours.Values.ElementAt(1).Length, report.Events.ToString(CultureInfo.InvariantCulture));
    }
}
