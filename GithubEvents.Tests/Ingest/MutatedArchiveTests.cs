using System.Globalization;
using System.Text;
using GithubEvents.ServiceDefaults.Kafka;

namespace GithubEvents.Tests.Ingest;

/// <summary>Issue 25: no bytes in an archive file stop the backfill; each line is published or dead-lettered with its reason.</summary>
public sealed class MutatedArchiveTests(KafkaMockCluster kafka)
{
    // Fewer than Enrich's: both topics are read back whole, and the mock cluster keeps only 5 MB of a partition.
    private const int Mutations = 2_000;

    [Fact]
    public async Task A_file_of_mutated_events_is_read_to_its_end_every_event_published_and_every_other_line_dead_lettered_with_its_reason()
    {
        var mutants = EventMutations.Make(ArchiveFixture.Events, Mutations, seed: 2025);
        var file = mutants.SelectMany(mutant => mutant.Bytes.Append((byte)'\n')).ToArray();
        // The lines as the archive has them: a mutation may have put a newline into an event.
        var numbered = Lines(file);
        var lines = numbered.Where(line => line.Length > 0).ToList();
        var published = lines.Where(GitHubEventCheck.IsIngestEvent).ToList();
        Assert.True(published.Count > lines.Count / 4 && lines.Count - published.Count > lines.Count / 10, $"{published.Count} events of {lines.Count} lines");

        await using var run = await BackfillRun.StartAsync();
        var path = Path.Combine(run.Folder.FullName, "2021-07-21-6.json.gz");
        await File.WriteAllBytesAsync(path, ArchiveFixture.Gzip(file), TestContext.Current.CancellationToken);
        using var host = run.Host(kafka);

        var report = await BackfillRun.RunAsync(host, "--path", path);

        Assert.Empty(report.Failures);
        Assert.Equal((published.Count, lines.Count - published.Count), (report.Events, report.DeadLetters));
        var events = TopicContents.Read(kafka.BootstrapServers, host.RawTopic(), published.Count);
        Assert.Equal(
            published.Select(Convert.ToBase64String).Order(),
            events.Select(message => Convert.ToBase64String(message.Message.Value)).Order());
        var letters = TopicContents.Read(kafka.BootstrapServers, host.DeadLetterTopic(), lines.Count - published.Count);
        Assert.Equal(lines.Count - published.Count, letters.Count);
        Assert.All(letters, letter =>
        {
            Assert.False(string.IsNullOrWhiteSpace(Header(letter, DeadLetterHeaders.Reason)));
            Assert.False(GitHubEventCheck.IsIngestEvent(letter.Message.Value));
            Assert.Equal(numbered[int.Parse(Header(letter, DeadLetterHeaders.SourceLine), CultureInfo.InvariantCulture) - 1], letter.Message.Value);
        });
    }

    // Every line of the file, empty ones too, each without its newline.
    private static List<byte[]> Lines(byte[] file)
    {
        var lines = new List<byte[]>();
        for (var start = 0; start < file.Length;)
        {
            var end = Array.IndexOf(file, (byte)'\n', start);
            lines.Add(file[start..end]);
            start = end + 1;
        }

        return lines;
    }

    private static string Header(Confluent.Kafka.ConsumeResult<string, byte[]> message, string name) =>
        Encoding.UTF8.GetString(message.Message.Headers.GetLastBytes(name));
}
