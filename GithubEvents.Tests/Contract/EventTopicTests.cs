using System.Text.Json.Nodes;
using GithubEvents.Enrich.Storage;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace GithubEvents.Tests.Contract;

/// <summary>The topics both services share: one section names them for both.</summary>
public sealed class EventTopicTests(PostgresServer postgres, KafkaMockCluster kafka, ITestOutputHelper output)
{
    [Fact]
    public async Task One_setting_renames_the_raw_topic_for_Ingest_and_Enrich_alike()
    {
        var topic = $"custom.raw.{Guid.NewGuid():N}";
        await using var github = FakeGitHub.WithRecordedFixtures();
        await github.InitializeAsync();
        var served = JsonNode.Parse(UpstreamFixtures.GitHubRecording("Github.testGetEvents.txt").Body)!.AsArray()
            .Select(e => long.Parse((string)e!["id"]!, System.Globalization.CultureInfo.InvariantCulture)).Order().ToList();
        await using var database = await EventDatabase.OpenAsync(await postgres.CreateDatabaseAsync());

        var ingestBuilder = KafkaClientHost.Builder(kafka.BootstrapServers, new Dictionary<string, string?>
        {
            ["Kafka:Topics:Raw"] = topic,
            ["GitHub:ApiUrl"] = github.BaseAddress.ToString(),
            ["GitHub:Token"] = "test-token-not-a-real-one",
        });
        var ingestLogs = new LogCapture();
        ingestBuilder.Logging.AddProvider(ingestLogs);
        ingestBuilder.AddEventPublishing();
        ingestBuilder.AddLivePolling();
        using var ingest = ingestBuilder.Build();

        var enrichBuilder = KafkaClientHost.Builder(kafka.BootstrapServers, new Dictionary<string, string?>
        {
            ["Kafka:Topics:Raw"] = topic,
            ["Kafka:Consumer:Config:group.id"] = $"enricher-{Guid.NewGuid():N}",
            [$"ConnectionStrings:{WriterDataSource.ConnectionName}"] = database.ConnectionString,
            // The recorded events are from 2021: the default retention would drop them as soon as they are written.
            ["Storage:Retention"] = "36500.00:00:00",
            ["Profiles:Enabled"] = "false",
            ["Archive:Enabled"] = "false",
        });
        var enrichLogs = new LogCapture();
        enrichBuilder.Logging.AddProvider(enrichLogs);
        enrichBuilder.AddApplicationServices();
        using var enrich = enrichBuilder.Build();

        await enrich.StartAsync(TestContext.Current.CancellationToken);
        await ingest.StartAsync(TestContext.Current.CancellationToken);
        try
        {
            await EnrichPipeline.EventuallyAsync(
                async () => (long)(await Sql.ScalarAsync(database.ConnectionString, "SELECT count(*) FROM events"))! >= served.Count,
                $"the {served.Count} polled events in the database");

            Assert.Equal(served, (await Sql.RowsAsync(database.ConnectionString, "SELECT event_id FROM events ORDER BY event_id")).Select(row => (long)row[0]!));
        }
        finally
        {
            await ingest.StopAsync(CancellationToken.None);
            await enrich.StopAsync(CancellationToken.None);
            foreach (var (service, logs) in new[] { ("ingest", ingestLogs), ("enrich", enrichLogs) })
            {
                foreach (var entry in logs.Entries)
                {
                    output.WriteLine($"{service} {entry}");
                }
            }
        }
    }

    [Theory]
    [InlineData("Enrich:Topic", "Kafka:Topics:Raw")]
    [InlineData("Enrich:DeadLetterTopic", "Kafka:Topics:DeadLetters")]
    public async Task Enrich_stops_at_start_up_on_a_topic_setting_under_its_old_key(string oldKey, string newKey)
    {
        var builder = KafkaClientHost.Builder("127.0.0.1:9", new Dictionary<string, string?>
        {
            [oldKey] = "some.topic",
            [$"ConnectionStrings:{WriterDataSource.ConnectionName}"] = "Host=127.0.0.1;Port=9;Database=none;Username=none",
            ["Kafka:Consumer:Config:group.id"] = "unused",
        });
        builder.AddApplicationServices();
        using var host = builder.Build();

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync(TestContext.Current.CancellationToken));

        Assert.Contains($"{oldKey} is no longer read: set {newKey} instead", error.Message);
    }

    [Fact]
    public async Task Ingest_stops_at_start_up_on_a_retention_under_its_old_key()
    {
        var builder = KafkaClientHost.Builder("127.0.0.1:9", new Dictionary<string, string?> { ["Kafka:Retention"] = "06:00:00" });
        builder.AddEventPublishing();
        using var host = builder.Build();

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync(TestContext.Current.CancellationToken));

        Assert.Contains("Kafka:Retention is no longer read: set Kafka:Topics:Retention instead", error.Message);
    }
}
