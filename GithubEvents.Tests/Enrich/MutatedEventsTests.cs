using System.Globalization;
using System.Text;
using Confluent.Kafka;
using GithubEvents.ServiceDefaults.Kafka;

namespace GithubEvents.Tests.Enrich;

/// <summary>Issue 25: no message content can stop Enrich; what is still a GitHub event is stored, the rest dead-lettered with its reason.</summary>
public sealed class MutatedEventsTests(PostgresServer postgres, KafkaMockCluster kafka)
{
    private const int Mutations = 20_000;

    private const int Slice = 500;

    [Fact]
    public async Task Twenty_thousand_mutations_of_the_recorded_events_are_each_stored_or_dead_lettered_and_every_event_among_them_is_stored()
    {
        var mutants = EventMutations.Make(ArchiveFixture.Events, Mutations, seed: 25);
        // Good events after them, as a user's next ones: the consumer is still there for them.
        var after = ArchiveFixture.Events.Select((json, i) => EventMutations.WithId(json, 8_000_000_000 + i)).ToList();
        var messages = mutants.Select(mutant => mutant.Bytes).Concat(after).ToList();
        var expected = messages.Select(GitHubEventCheck.EnrichKey).ToList();
        var events = expected.Count(key => key is not null);
        // Both outcomes are well represented, or the mutations would test little.
        Assert.True(events > Mutations / 4 && messages.Count - events > Mutations / 10, $"{events} events of {messages.Count}");

        var database = await postgres.CreateDatabaseAsync();
        var pipeline = EnrichPipeline.Create(kafka, database);
        using var deadLetters = new ConsumerBuilder<string, byte[]>(new ConsumerConfig { BootstrapServers = kafka.BootstrapServers, GroupId = $"dlq-{Guid.NewGuid():N}" }).Build();
        var letters = new List<ConsumeResult<string, byte[]>>();
        await using (await pipeline.StartAsync(settings: new Dictionary<string, string?>
        {
            ["Enrich:BatchSize"] = "2000",
            ["Storage:TimescaleDb"] = "Never",
            // Mutated times reach back to year 1: nothing may be dropped as old while the test runs.
            ["Storage:Retention"] = "900000.00:00:00",
            ["Storage:AggregateRefreshInterval"] = "01:00:00",
        }))
        {
            // In slices, each consumed before the next: the mock cluster keeps only the last 5 MB of a partition. One
            // key, one partition, so that one message that stopped the consumer would hold every one after it.
            for (var sent = 0; sent < messages.Count; sent += Slice)
            {
                var slice = messages.Skip(sent).Take(Slice).ToList();
                pipeline.Produce(slice.Select(bytes => ((string?)"fuzz", bytes)));
                await EnrichPipeline.EventuallyAsync(async () => pipeline.CommittedTotal() == sent + slice.Count, $"the offsets up to {sent + slice.Count} committed");
                var lettered = letters.Count + expected.Skip(sent).Take(Slice).Count(key => key is null);
                if (sent == 0)
                {
                    deadLetters.Assign(Enumerable.Range(0, KafkaMockCluster.AutoCreatedPartitions)
                        .Select(partition => new TopicPartitionOffset(pipeline.DeadLetterTopic, partition, Offset.Beginning)));
                }

                var deadline = DateTime.UtcNow.AddSeconds(30);
                while (letters.Count < lettered && DateTime.UtcNow < deadline)
                {
                    if (deadLetters.Consume(TimeSpan.FromMilliseconds(100)) is { IsPartitionEOF: false } letter)
                    {
                        letters.Add(letter);
                    }
                }
            }

            // Any beyond those expected.
            while (deadLetters.Consume(TimeSpan.FromSeconds(1)) is { IsPartitionEOF: false } extra)
            {
                letters.Add(extra);
            }
        }

        var wronglyLettered = letters
            .Select(letter => (Offset: int.Parse(Header(letter, DeadLetterHeaders.SourceOffset), CultureInfo.InvariantCulture), Reason: Header(letter, DeadLetterHeaders.Reason)))
            .Where(letter => expected[letter.Offset] is not null)
            .Select(letter => $"{Describe(mutants, letter.Offset)}: {letter.Reason}")
            .ToList();
        Assert.True(wronglyLettered.Count == 0, $"{wronglyLettered.Count} events dead-lettered, e.g. {string.Join("; ", wronglyLettered.Take(5))}");
        Assert.All(letters, letter => Assert.False(string.IsNullOrWhiteSpace(Header(letter, DeadLetterHeaders.Reason))));
        Assert.All(letters, letter => Assert.Equal(messages[int.Parse(Header(letter, DeadLetterHeaders.SourceOffset), CultureInfo.InvariantCulture)], letter.Message.Value));
        Assert.Equal(messages.Count - events, letters.Count);

        var stored = (await Sql.RowsAsync(database, "SELECT time, event_id FROM events"))
            .Select(row => (Time: ((DateTime)row[0]!).ToUniversalTime(), Id: (long)row[1]!))
            .ToHashSet();
        var keys = expected.OfType<(DateTime Time, long Id)>().Select(key => (Microseconds(key.Time), key.Id)).ToHashSet();
        var missing = keys.Except(stored).ToList();
        Assert.True(missing.Count == 0, $"{missing.Count} events not stored, e.g. {string.Join("; ", missing.Take(5))}");
        Assert.Empty(stored.Except(keys));

        // What was replaced is recorded on the row; the rows of the mutations that replaced nothing say so too.
        var altered = (await Sql.RowsAsync(database, "SELECT event_id, altered FROM events WHERE altered IS NOT NULL"))
            .ToDictionary(row => (long)row[0]!, row => (string[])row[1]!);
        var repeated = expected.OfType<(DateTime, long)>().GroupBy(key => key).Where(group => group.Count() > 1).Select(group => group.Key).ToHashSet();
        foreach (var (kind, name) in new[]
                 {
                     (EventMutations.Kind.LoneSurrogate, "lone_surrogate"), (EventMutations.Kind.InvalidUtf8, "invalid_utf8"),
                     (EventMutations.Kind.NulEscape, "nul_escape"),
                 })
        {
            // A mutant whose id or time a flip made another's is stored once, as whichever came first.
            var storedOfKind = mutants
                .Where(mutant => mutant.Kind == kind && expected[mutant.Index] is { } key && !repeated.Contains(key))
                .Select(mutant => expected[mutant.Index]!.Value.Id)
                .ToList();
            Assert.NotEmpty(storedOfKind);
            Assert.All(storedOfKind, id => Assert.Contains(name, altered.GetValueOrDefault(id) ?? []));
        }

        Assert.Contains(altered.Values, names => names.Contains("number_out_of_range"));
        Assert.All(after, json => Assert.DoesNotContain(GitHubEventCheck.EnrichKey(json)!.Value.Id, altered.Keys));
        Assert.Equal(keys.Count, await pipeline.CountAsync());
    }

    [Fact]
    public void The_parser_reads_every_mutation_that_is_still_an_event_and_says_why_of_every_other()
    {
        foreach (var mutant in EventMutations.Make(ArchiveFixture.Events, Mutations, seed: 25))
        {
            var key = GitHubEventCheck.EnrichKey(mutant.Bytes);
            var parsed = GithubEvents.Enrich.Events.GitHubEventParser.TryParse(mutant.Bytes, out var row, out var rejection);
            Assert.True(parsed == key is not null, $"mutant {mutant.Index} ({mutant.Kind}): {rejection ?? "parsed"}: {Encoding.UTF8.GetString(mutant.Bytes)[..Math.Min(300, mutant.Bytes.Length)]}");
            Assert.True(parsed ? (row!.Time, row.EventId) == key : !string.IsNullOrWhiteSpace(rejection));
        }
    }

    private static DateTime Microseconds(DateTime time) => new(time.Ticks - time.Ticks % 10, DateTimeKind.Utc);

    private static string Describe(List<EventMutations.Mutant> mutants, int offset) =>
        offset < mutants.Count ? $"mutant {offset} ({mutants[offset].Kind})" : $"good event {offset - mutants.Count}";

    private static string Header(ConsumeResult<string, byte[]> message, string name) =>
        Encoding.UTF8.GetString(message.Message.Headers.GetLastBytes(name));
}
