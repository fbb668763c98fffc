using System.Text;
using Confluent.Kafka;
using GithubEvents.Enrich.Events;
using GithubEvents.ServiceDefaults.Kafka;

namespace GithubEvents.Tests.Enrich;

public sealed class EventConsumerTests(PostgresServer postgres, KafkaMockCluster kafka)
{
    private static IEnumerable<(string? Key, byte[] Value)> Sample(int skip = 0, int take = ArchiveFixture.EventCount) =>
        ArchiveFixture.Events.Skip(skip).Take(take).Select(json => ((string?)ActorId(json), json));

    [Fact]
    public async Task Poison_messages_go_to_the_dead_letter_topic_with_their_reason_and_the_events_around_them_are_stored()
    {
        var pipeline = EnrichPipeline.Create(kafka, await postgres.CreateDatabaseAsync());
        var poison = new (string Value, string Reason)[]
        {
            ("{\"id\":\"1\",\"type\":", "invalid JSON"),
            ("""{"id":"abc","type":"PushEvent","created_at":"2025-01-01T00:00:00Z","actor":{"id":1,"login":"a"}}""", "missing or non-numeric id"),
            ("""{"id":"2","created_at":"2025-01-01T00:00:00Z","actor":{"id":1,"login":"a"}}""", "missing type"),
            ("""{"id":"3","type":"PushEvent","actor":{"id":1,"login":"a"}}""", "missing or invalid created_at"),
            ("{\"id\":\"4\",\"pad\":\"" + new string('x', 300 * 1024) + "\"}", "307"),
        };
        pipeline.Produce(Sample(0, 400));
        pipeline.Produce(poison.Select(message => ((string?)"poison", Encoding.UTF8.GetBytes(message.Value))));
        pipeline.Produce(Sample(400));

        await using (await pipeline.StartAsync(settings: new Dictionary<string, string?> { ["Enrich:MaxEventBytes"] = (256 * 1024).ToString() }))
        {
            await EnrichPipeline.EventuallyAsync(async () => pipeline.CommittedTotal() == ArchiveFixture.EventCount + poison.Length, "every offset committed");
        }

        Assert.Equal(ArchiveFixture.EventCount, await pipeline.CountAsync());
        Assert.Equal(ArchiveFixture.EventCount, await pipeline.CountAsync("SELECT count(DISTINCT event_id) FROM events"));
        var letters = pipeline.DeadLetters(poison.Length);
        Assert.Equal(poison.Length, letters.Count);
        foreach (var (value, reason) in poison)
        {
            var letter = Assert.Single(letters, letter => Encoding.UTF8.GetString(letter.Message.Value) == value);
            Assert.Contains(reason, Header(letter, DeadLetterHeaders.Reason));
            Assert.Equal(pipeline.Topic, Header(letter, DeadLetterHeaders.SourceTopic));
            Assert.Equal("poison", letter.Message.Key);
            Assert.Matches(@"^\d+$", Header(letter, DeadLetterHeaders.SourceOffset));
            Assert.Matches(@"^\d+$", Header(letter, DeadLetterHeaders.SourcePartition));
        }
    }

    [Fact]
    public async Task The_same_messages_consumed_twice_leave_no_duplicate()
    {
        var pipeline = EnrichPipeline.Create(kafka, await postgres.CreateDatabaseAsync());
        pipeline.Produce(Sample());

        await using (await pipeline.StartAsync())
        {
            await EnrichPipeline.EventuallyAsync(async () => pipeline.CommittedTotal() == ArchiveFixture.EventCount, "first pass committed");
        }

        // A second group reads the whole topic again from the start.
        var secondGroup = $"replay-{Guid.NewGuid():N}";
        await using (await pipeline.StartAsync(secondGroup))
        {
            await EnrichPipeline.EventuallyAsync(async () => pipeline.CommittedTotal(secondGroup) == ArchiveFixture.EventCount, "second pass committed");
        }

        Assert.Equal(ArchiveFixture.EventCount, await pipeline.CountAsync());
        Assert.Equal(ArchiveFixture.EventCount, await pipeline.CountAsync("SELECT count(DISTINCT event_id) FROM events"));
    }

    [Fact]
    public async Task A_crash_between_the_database_commit_and_the_offset_commit_loses_and_duplicates_nothing()
    {
        var database = await postgres.CreateDatabaseAsync();
        var pipeline = EnrichPipeline.Create(kafka, database);
        pipeline.Produce(Sample());

        // A consumer of the group fetches half the messages, writes them with Enrich's writer and dies before it commits
        // their offsets. It takes the partitions by assignment rather than by joining: the mock cluster never expires a
        // dead member's session, so a joined one would hold the group's next rebalance for max.poll.interval.ms.
        await using (var eventDatabase = await EventDatabase.OpenAsync(database))
        using (var crashed = new ConsumerBuilder<string, byte[]>(new ConsumerConfig
        {
            BootstrapServers = kafka.BootstrapServers,
            GroupId = pipeline.Group,
            EnableAutoCommit = false,
        }).Build())
        {
            crashed.Assign(Enumerable.Range(0, KafkaMockCluster.AutoCreatedPartitions)
                .Select(partition => new TopicPartitionOffset(pipeline.Topic, partition, Offset.Beginning)));
            var rows = new List<EventRow>();
            while (rows.Count < ArchiveFixture.EventCount / 2)
            {
                var message = Kafka.KafkaClientHost.ConsumeOne(crashed);
                Assert.True(GitHubEventParser.TryParse(message.Message.Value, out var row, out _));
                rows.Add(row);
            }

            Assert.Equal(rows.Count, (await eventDatabase.Writer.WriteAsync(rows, TestContext.Current.CancellationToken)).Inserted);
        }

        Assert.Equal(0, pipeline.CommittedTotal());

        await using (await pipeline.StartAsync())
        {
            await EnrichPipeline.EventuallyAsync(async () => pipeline.CommittedTotal() == ArchiveFixture.EventCount, "all committed after the restart");
        }

        Assert.Equal(ArchiveFixture.EventCount, await pipeline.CountAsync());
        Assert.Equal(ArchiveFixture.EventCount, await pipeline.CountAsync("SELECT count(DISTINCT event_id) FROM events"));
    }

    [Fact]
    public async Task With_the_database_stopped_mid_stream_every_event_is_stored_once_after_it_returns()
    {
        // A server of its own, since this test stops it.
        await using var server = new PostgresServer();
        await server.InitializeAsync();
        var pipeline = EnrichPipeline.Create(kafka, await server.CreateDatabaseAsync());
        pipeline.Produce(Sample(0, 300));

        await using var replica = await pipeline.StartAsync();
        await EnrichPipeline.EventuallyAsync(async () => pipeline.CommittedTotal() == 300, "the first 300 stored and committed");

        await server.StopAsync();
        pipeline.Produce(Sample(300));
        await Task.Delay(TimeSpan.FromSeconds(2), TestContext.Current.CancellationToken);
        // Nothing past the stored rows is committed while the database is away.
        Assert.Equal(300, pipeline.CommittedTotal());
        await server.StartAsync();

        await EnrichPipeline.EventuallyAsync(async () => pipeline.CommittedTotal() == ArchiveFixture.EventCount, "all committed after the outage");
        await replica.DisposeAsync();
        Assert.Equal(ArchiveFixture.EventCount, await pipeline.CountAsync());
        Assert.Equal(ArchiveFixture.EventCount, await pipeline.CountAsync("SELECT count(DISTINCT event_id) FROM events"));
        Assert.Empty(pipeline.DeadLetters(0));
    }

    [Fact]
    public async Task A_second_replica_joining_mid_stream_takes_partitions_over_and_every_event_is_stored_once()
    {
        var pipeline = EnrichPipeline.Create(kafka, await postgres.CreateDatabaseAsync());
        pipeline.Produce(Sample(0, 200));

        await using var first = await pipeline.StartAsync();
        await EnrichPipeline.EventuallyAsync(async () => pipeline.CommittedTotal() > 0, "the first replica writing");
        await using var second = await pipeline.StartAsync();
        pipeline.Produce(Sample(200));

        await EnrichPipeline.EventuallyAsync(async () => pipeline.CommittedTotal() == ArchiveFixture.EventCount, "all committed by the two replicas");
        Assert.Equal(ArchiveFixture.EventCount, await pipeline.CountAsync());
        Assert.Equal(ArchiveFixture.EventCount, await pipeline.CountAsync("SELECT count(DISTINCT event_id) FROM events"));
    }

    [Fact]
    public async Task A_replica_started_before_the_topic_exists_waits_for_it_and_stores_what_arrives()
    {
        var pipeline = EnrichPipeline.Create(kafka, await postgres.CreateDatabaseAsync());

        await using var replica = await pipeline.StartAsync();
        await Task.Delay(TimeSpan.FromSeconds(2), TestContext.Current.CancellationToken);
        pipeline.Produce(Sample(0, 100));

        await EnrichPipeline.EventuallyAsync(async () => pipeline.CommittedTotal() == 100, "the events that arrived later committed");
        Assert.Equal(100, await pipeline.CountAsync());
    }

    [Fact]
    public async Task A_replica_that_joined_on_the_polls_topic_alone_takes_the_raw_topic_up_when_it_appears()
    {
        var pipeline = EnrichPipeline.Create(kafka, await postgres.CreateDatabaseAsync());
        pipeline.ProducePollFigures(new PollFigures(new DateTimeOffset(2026, 12, 1, 10, 42, 0, TimeSpan.Zero), "ingest-1", 1, 1, 1, 0, 0, 100, 100, 0));

        await using var replica = await pipeline.StartAsync();
        await EnrichPipeline.EventuallyAsync(async () => await pipeline.CountAsync("SELECT count(*) FROM ingest_polls") == 1, "the poll figures stored");
        pipeline.Produce(Sample(0, 100));

        await EnrichPipeline.EventuallyAsync(async () => pipeline.CommittedTotal() == 100, "the events of the topic that appeared later committed");
        Assert.Equal(100, await pipeline.CountAsync());
    }

    private static string ActorId(byte[] json)
    {
        using var document = System.Text.Json.JsonDocument.Parse(json);
        return document.RootElement.GetProperty("actor").GetProperty("id").GetInt64().ToString(System.Globalization.CultureInfo.InvariantCulture);
    }

    private static string Header(ConsumeResult<string, byte[]> message, string name) =>
        Encoding.UTF8.GetString(message.Message.Headers.GetLastBytes(name));
}
