using System.Globalization;
using System.Text;
using GithubEvents.Ingest.Events;
using GithubEvents.Ingest.Publishing;
using GithubEvents.ServiceDefaults.Kafka;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace GithubEvents.Tests.Ingest;

/// <summary>
/// An event Kafka refuses as too large goes to the dead-letter topic, and when the dead letter is too large as well it
/// goes cut to its headers and a prefix, with its size, rather than being lost (issue 25). The producer is limited with
/// librdkafka's <c>message.max.bytes</c>, which refuses a larger message as a broker would.
/// </summary>
public sealed class OversizedEventTests(KafkaMockCluster kafka)
{
    [Fact]
    public async Task An_event_too_large_for_Kafka_is_dead_lettered_cut_to_a_prefix_with_its_size_and_the_reason()
    {
        var json = Encoding.UTF8.GetBytes("{\"id\":\"4\",\"type\":\"PushEvent\",\"pad\":\"" + new string('x', 300 * 1024) + "\"}");
        var builder = IngestTestHost.Builder(kafka.BootstrapServers, TimeProvider.System, new LogCapture(), new Dictionary<string, string?>
        {
            ["Kafka:Producer:Config:message.max.bytes"] = "100000",
        });
        builder.AddEventPublishing();
        using var host = builder.Build();
        var publisher = host.Services.GetRequiredService<EventPublisher>();
        var cancellation = TestContext.Current.CancellationToken;

        await publisher.PublishAsync(new RawEvent(json, new EventFields("4", "PushEvent", "2026-12-07T05:00:00Z", 1)), "live", cancellation);
        await publisher.DrainAsync(cancellation);

        var letter = Assert.Single(TopicContents.Read(kafka.BootstrapServers, host.DeadLetterTopic(), 1));
        Assert.Equal(json.AsSpan(0, EventPublisher.MaxDeadLetterBytes).ToArray(), letter.Message.Value);
        Assert.Equal(json.Length.ToString(CultureInfo.InvariantCulture), Header(letter, DeadLetterHeaders.TruncatedFrom));
        Assert.StartsWith("Kafka refused the message: MsgSizeTooLarge", Header(letter, DeadLetterHeaders.Reason));
    }

    private static string Header(Confluent.Kafka.ConsumeResult<string, byte[]> message, string name) =>
        Encoding.UTF8.GetString(message.Message.Headers.GetLastBytes(name));
}
