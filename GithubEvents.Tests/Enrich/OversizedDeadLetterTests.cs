using System.Text;
using GithubEvents.Enrich.Consuming;
using GithubEvents.ServiceDefaults.Kafka;
using Microsoft.Extensions.Logging;

namespace GithubEvents.Tests.Enrich;

/// <summary>
/// A dead letter Kafka refuses never stalls the consumer (issue 25, item 3): one too large goes again cut to its headers
/// and a prefix; one refused even so is a logged loss, and the partition goes on. Enrich's producer is limited with
/// librdkafka's <c>message.max.bytes</c>, which refuses a larger message as a broker would.
/// </summary>
public sealed class OversizedDeadLetterTests(PostgresServer postgres, KafkaMockCluster kafka)
{
    private const int Before = 100;
    private static readonly byte[] Oversized = Encoding.UTF8.GetBytes("{\"id\":\"4\",\"pad\":\"" + new string('x', 300 * 1024) + "\"}");

    [Fact]
    public async Task A_dead_letter_too_large_for_Kafka_is_sent_cut_to_its_headers_and_a_prefix_with_its_size()
    {
        var pipeline = await RunAsync(producerLimit: 100_000, new LogCapture());

        var letter = Assert.Single(pipeline.DeadLetters(1));
        Assert.Equal(Oversized.AsSpan(0, DeadLetterPublisher.PrefixBytes).ToArray(), letter.Message.Value);
        Assert.Equal(Oversized.Length.ToString(System.Globalization.CultureInfo.InvariantCulture), Header(letter.Message.Headers, DeadLetterHeaders.TruncatedFrom));
        Assert.Equal($"{Oversized.Length} bytes is over Enrich:MaxEventBytes ({256 * 1024})", Header(letter.Message.Headers, DeadLetterHeaders.Reason));
        Assert.Equal(Before.ToString(System.Globalization.CultureInfo.InvariantCulture), Header(letter.Message.Headers, DeadLetterHeaders.SourceOffset));
        Assert.Equal("poison", letter.Message.Key);
    }

    [Fact]
    public async Task A_dead_letter_Kafka_refuses_even_cut_is_logged_as_lost_and_the_partition_goes_on()
    {
        var logs = new LogCapture();
        var pipeline = await RunAsync(producerLimit: 1000, logs);

        Assert.Empty(pipeline.DeadLetters(0));
        var lost = Assert.Single(logs.Entries, log => log.Level == LogLevel.Critical);
        Assert.StartsWith($"The dead letter of {pipeline.Topic}/0@{Before} was lost: Kafka refused it (MsgSizeTooLarge", lost.Message);
    }

    // The sample on one partition with the oversized message after its first events: every offset is committed and every event stored.
    private async Task<EnrichPipeline> RunAsync(int producerLimit, LogCapture logs)
    {
        var pipeline = EnrichPipeline.Create(kafka, await postgres.CreateDatabaseAsync());
        var sample = ArchiveFixture.Events.Select(json => ((string?)null, json)).ToList();
        pipeline.Produce(sample.Take(Before).Append(("poison", Oversized)).Concat(sample.Skip(Before)), partition: 0);

        await using (await pipeline.StartAsync(logs: logs, settings: new Dictionary<string, string?>
        {
            ["Enrich:MaxEventBytes"] = (256 * 1024).ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Kafka:Producer:Config:message.max.bytes"] = producerLimit.ToString(System.Globalization.CultureInfo.InvariantCulture),
        }))
        {
            await EnrichPipeline.EventuallyAsync(async () => pipeline.CommittedTotal() == ArchiveFixture.EventCount + 1, "every offset committed");
        }

        Assert.Equal(ArchiveFixture.EventCount, await pipeline.CountAsync());
        return pipeline;
    }

    private static string Header(Confluent.Kafka.Headers headers, string name) => Encoding.UTF8.GetString(headers.GetLastBytes(name));
}
