using System.Globalization;
using System.Text;
using GithubEvents.Ingest.Publishing;
using GithubEvents.ServiceDefaults.Kafka;

namespace GithubEvents.Tests.Ingest;

/// <summary>Issue 25, item 5: a line over GhArchive:MaxLineBytes is dead-lettered with its file and position, and the file goes on.</summary>
public sealed class OverlongLineTests(KafkaMockCluster kafka)
{
    private const int MaxLineBytes = 100_000;

    [Fact]
    public async Task An_overlong_line_is_dead_lettered_as_its_first_bytes_with_its_line_and_byte_offset_and_every_other_line_is_published()
    {
        var hour = BackfillRun.Hours.Keys.Min();
        var lines = BackfillRun.Hours[hour].ToList();
        var overlong = $$"""{"id":"1","type":"PushEvent","body":"{{new string('x', 300_000)}}"}""";
        lines.Insert(40, overlong);
        await using var run = await BackfillRun.StartAsync();
        run.Archive.Serve("2021-07-21-6.json.gz", ArchiveFixture.Gzip(lines));
        using var host = run.Host(kafka, more: new Dictionary<string, string?> { ["GhArchive:MaxLineBytes"] = MaxLineBytes.ToString(CultureInfo.InvariantCulture) });

        var report = await BackfillRun.RunAsync(host, "--from", "2021-07-21T06", "--to", "2021-07-21T06");

        Assert.Empty(report.Failures);
        Assert.Equal((lines.Count - 1, 1), (report.Events, report.DeadLetters));
        var events = TopicContents.Read(kafka.BootstrapServers, host.RawTopic(), lines.Count - 1);
        Assert.Equal(
            lines.Where(line => line != overlong).Order(StringComparer.Ordinal),
            events.Select(message => Encoding.UTF8.GetString(message.Message.Value)).Order(StringComparer.Ordinal));
        var letter = Assert.Single(TopicContents.Read(kafka.BootstrapServers, host.DeadLetterTopic(), 1));
        Assert.Equal(overlong[..EventPublisher.MaxDeadLetterBytes], Encoding.UTF8.GetString(letter.Message.Value));
        Assert.Equal("2021-07-21-6.json.gz", Header(letter, DeadLetterHeaders.SourceFile));
        Assert.Equal("41", Header(letter, DeadLetterHeaders.SourceLine));
        Assert.Equal(lines.Take(40).Sum(line => Encoding.UTF8.GetByteCount(line) + 1).ToString(CultureInfo.InvariantCulture), Header(letter, DeadLetterHeaders.SourceByte));
        Assert.Equal(overlong.Length.ToString(CultureInfo.InvariantCulture), Header(letter, DeadLetterHeaders.SourceLength));
        Assert.Contains("GhArchive:MaxLineBytes", Header(letter, DeadLetterHeaders.Reason));
    }

    [Fact]
    public async Task A_file_without_newlines_is_dead_lettered_as_its_first_bytes_and_reported_as_truncated()
    {
        var bytes = Encoding.UTF8.GetBytes(string.Concat(BackfillRun.Hours.Values.First()));
        await using var run = await BackfillRun.StartAsync();
        run.Archive.Serve("2021-07-21-6.json.gz", ArchiveFixture.Gzip(bytes));
        using var host = run.Host(kafka, more: new Dictionary<string, string?> { ["GhArchive:MaxLineBytes"] = MaxLineBytes.ToString(CultureInfo.InvariantCulture) });

        var report = await BackfillRun.RunAsync(host, "--from", "2021-07-21T06", "--to", "2021-07-21T06");

        Assert.Equal("2021-07-21-6.json.gz is truncated: line 1 is cut off", Assert.Single(report.Failures));
        Assert.Equal((0, 1), (report.Events, report.DeadLetters));
        var letter = Assert.Single(TopicContents.Read(kafka.BootstrapServers, host.DeadLetterTopic(), 1));
        Assert.Equal(bytes[..EventPublisher.MaxDeadLetterBytes], letter.Message.Value);
        Assert.Equal(bytes.Length.ToString(CultureInfo.InvariantCulture), Header(letter, DeadLetterHeaders.SourceLength));
    }

    private static string Header(Confluent.Kafka.ConsumeResult<string, byte[]> message, string name) =>
        Encoding.UTF8.GetString(message.Message.Headers.GetLastBytes(name));
}
