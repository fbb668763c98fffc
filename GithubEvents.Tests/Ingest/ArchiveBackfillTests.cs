using System.IO.Compression;
using System.Text;
using System.Text.Json;
using GithubEvents.Ingest.Archive;
using GithubEvents.ServiceDefaults.Kafka;

namespace GithubEvents.Tests.Ingest;

public sealed class ArchiveBackfillTests(KafkaMockCluster kafka)
{
    [Fact]
    public async Task A_backfill_of_the_fixture_hours_lands_every_event_once_keyed_by_actor()
    {
        await using var run = await BackfillRun.StartAsync();
        run.ServeFixtureHours();
        using var host = run.Host(kafka);

        var report = await BackfillRun.RunAsync(host, "--from", "2021-07-21T06", "--to", "2021-07-21T09");

        Assert.Equal(4, report.Replayed);
        Assert.Empty(report.Failures);
        Assert.Equal(["/2021-07-21-6.json.gz", "/2021-07-21-7.json.gz", "/2021-07-21-8.json.gz", "/2021-07-21-9.json.gz"], run.Archive.Requests.Select(r => r.Path));
        var messages = TopicContents.Read(kafka.BootstrapServers, host.RawTopic(), expected: 800);
        Assert.Equal(800, messages.Count);
        var expected = ArchiveFixture.Lines.ToDictionary(line => JsonDocument.Parse(line).RootElement.GetProperty("id").GetString()!);
        Assert.All(messages, message =>
        {
            var line = Encoding.UTF8.GetString(message.Message.Value);
            var root = JsonDocument.Parse(line).RootElement;
            Assert.Equal(expected[root.GetProperty("id").GetString()!], line);
            Assert.Equal(root.GetProperty("actor").GetProperty("id").GetInt64().ToString(System.Globalization.CultureInfo.InvariantCulture), message.Message.Key);
            Assert.Equal("archive", Encoding.UTF8.GetString(message.Message.Headers.GetLastBytes(EventHeaders.Source)));
        });
        Assert.Equal(800, messages.Select(m => Encoding.UTF8.GetString(m.Message.Value)).Distinct().Count());
    }

    [Fact]
    public async Task A_restarted_backfill_skips_the_hours_it_finished()
    {
        await using var run = await BackfillRun.StartAsync();
        run.ServeFixtureHours();
        var topic = KafkaMockCluster.NewTopicName();

        using (var first = run.Host(kafka, topic))
        {
            await BackfillRun.RunAsync(first, "--from", "2021-07-21T06", "--to", "2021-07-21T07");
        }

        using var second = run.Host(kafka, topic);
        var report = await BackfillRun.RunAsync(second, "--from", "2021-07-21T06", "--to", "2021-07-21T09");

        Assert.Equal(2, report.Skipped);
        Assert.Equal(2, report.Replayed);
        Assert.Equal(4, run.Archive.Requests.Count);
        Assert.Equal(800, TopicContents.Read(kafka.BootstrapServers, topic, expected: 800).Count);
    }

    [Fact]
    public async Task A_truncated_file_is_reported_with_its_hour_and_line_and_the_next_hour_follows()
    {
        await using var run = await BackfillRun.StartAsync();
        var (six, seven) = (new DateTime(2021, 7, 21, 6, 0, 0, DateTimeKind.Utc), new DateTime(2021, 7, 21, 7, 0, 0, DateTimeKind.Utc));
        var whole = ArchiveFixture.Gzip(BackfillRun.Hours[six]);
        var truncated = whole[..(whole.Length * 3 / 5)];
        await File.WriteAllBytesAsync(Path.Combine(run.Folder.FullName, ArchiveHour.FileName(six)), truncated, TestContext.Current.CancellationToken);
        await File.WriteAllBytesAsync(Path.Combine(run.Folder.FullName, ArchiveHour.FileName(seven)), ArchiveFixture.Gzip(BackfillRun.Hours[seven]), TestContext.Current.CancellationToken);
        using var host = run.Host(kafka);

        var report = await BackfillRun.RunAsync(host, "--path", run.Folder.FullName);

        var completeLines = CompleteLines(truncated);
        Assert.Equal($"2021-07-21-6.json.gz is truncated: line {completeLines + 1} is cut off", Assert.Single(report.Failures));
        Assert.Contains(run.Logs.Entries, log => log.Message.Contains($"line {completeLines + 1} is cut off", StringComparison.Ordinal));
        Assert.Equal(1, report.Replayed);
        Assert.Equal(["2021-07-21-7.json.gz"], await File.ReadAllLinesAsync(run.ProgressFile, TestContext.Current.CancellationToken));
        Assert.Equal(completeLines + 200, TopicContents.Read(kafka.BootstrapServers, host.RawTopic(), expected: completeLines + 200).Count);
    }

    [Fact]
    public async Task A_corrupt_file_is_reported_with_its_hour_and_line()
    {
        await using var run = await BackfillRun.StartAsync();
        var six = new DateTime(2021, 7, 21, 6, 0, 0, DateTimeKind.Utc);
        var corrupt = ArchiveFixture.Gzip(BackfillRun.Hours[six]);
        Array.Fill(corrupt, (byte)0x5a, corrupt.Length / 2, 64);
        run.Archive.Serve(ArchiveHour.FileName(six), corrupt);
        using var host = run.Host(kafka);

        var report = await BackfillRun.RunAsync(host, "--from", "2021-07-21T06", "--to", "2021-07-21T06");

        Assert.Matches(@"^2021-07-21-6\.json\.gz is corrupt at line \d+: ", Assert.Single(report.Failures));
        Assert.False(File.Exists(run.ProgressFile));
    }

    [Fact]
    public async Task A_line_that_is_not_an_event_goes_to_the_dead_letter_topic_with_the_reason_and_its_place()
    {
        await using var run = await BackfillRun.StartAsync();
        var lines = ArchiveFixture.Lines.Take(3).ToList();
        lines.Insert(1, """{"id":"1","type":"PushEvent","actor":{"id":""");
        await File.WriteAllBytesAsync(Path.Combine(run.Folder.FullName, "2021-07-21-6.json.gz"), ArchiveFixture.Gzip(lines), TestContext.Current.CancellationToken);
        using var host = run.Host(kafka);

        var report = await BackfillRun.RunAsync(host, "--path", Path.Combine(run.Folder.FullName, "2021-07-21-6.json.gz"));

        Assert.Empty(report.Failures);
        Assert.Equal((3, 1), (report.Events, report.DeadLetters));
        var deadLetter = Assert.Single(TopicContents.Read(kafka.BootstrapServers, host.DeadLetterTopic(), expected: 1));
        Assert.Equal(lines[1], Encoding.UTF8.GetString(deadLetter.Message.Value));
        Assert.StartsWith("malformed JSON", Header(deadLetter, DeadLetterHeaders.Reason));
        Assert.Equal("2021-07-21-6.json.gz", Header(deadLetter, DeadLetterHeaders.SourceFile));
        Assert.Equal("2", Header(deadLetter, DeadLetterHeaders.SourceLine));
        Assert.Equal(3, TopicContents.Read(kafka.BootstrapServers, host.RawTopic(), expected: 3).Count);
    }

    [Fact]
    public async Task Hours_before_2015_are_refused_as_the_old_Timeline_format_before_anything_is_read()
    {
        await using var run = await BackfillRun.StartAsync();
        using var host = run.Host(kafka);

        var error = await Assert.ThrowsAsync<BackfillUsageException>(() => BackfillRun.RunAsync(host, "--from", "2014-12-31T22", "--to", "2015-01-01T01"));

        Assert.Contains("2014-12-31-22.json.gz is from before 2015-01-01T00", error.Message);
        Assert.Contains("old Timeline format", error.Message);
        Assert.Empty(run.Archive.Requests);
    }

    [Fact]
    public async Task The_backfill_verb_runs_as_a_console_command()
    {
        await using var run = await BackfillRun.StartAsync();
        var seven = new DateTime(2021, 7, 21, 7, 0, 0, DateTimeKind.Utc);
        await File.WriteAllBytesAsync(Path.Combine(run.Folder.FullName, ArchiveHour.FileName(seven)), ArchiveFixture.Gzip(BackfillRun.Hours[seven]), TestContext.Current.CancellationToken);
        var topic = KafkaMockCluster.NewTopicName();

        var exitCode = await BackfillCommand.RunAsync(
        [
            "--path", run.Folder.FullName,
            $"--ConnectionStrings:kafka={kafka.BootstrapServers}",
            $"--Kafka:Topics:Raw={topic}",
            "--Kafka:Topics:CreateTimeout=00:00:00.200",
            $"--GhArchive:ProgressFile={run.ProgressFile}",
        ]);

        Assert.Equal(0, exitCode);
        Assert.Equal(200, TopicContents.Read(kafka.BootstrapServers, topic, expected: 200).Count);
        Assert.Equal(2, await BackfillCommand.RunAsync(["--from", "2025-01-01T00"]));
    }

    private static int CompleteLines(byte[] gzip)
    {
        using var reader = new GZipStream(new MemoryStream(gzip), CompressionMode.Decompress);
        using var text = new MemoryStream();
        reader.CopyTo(text);
        return text.ToArray().Count(b => b == (byte)'\n');
    }

    private static string Header(Confluent.Kafka.ConsumeResult<string, byte[]> result, string name) =>
        Encoding.UTF8.GetString(result.Message.Headers.GetLastBytes(name));
}
