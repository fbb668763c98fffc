using Confluent.Kafka;

namespace GithubEvents.Tests.Infrastructure;

public sealed class KafkaMockClusterTests
{
    [Fact]
    public async Task Messages_sent_before_the_brokers_went_down_and_while_they_were_down_are_read_once_they_are_up()
    {
        // A cluster of its own: the assembly's is shared by every test running beside this one.
        await using var kafka = new KafkaMockCluster();
        await kafka.InitializeAsync();
        var topic = KafkaMockCluster.NewTopicName();
        var cancellation = TestContext.Current.CancellationToken;
        using var producer = new ProducerBuilder<string, string>(new ProducerConfig { BootstrapServers = kafka.BootstrapServers })
            .SetLogHandler((_, _) => { })
            .Build();
        for (var i = 0; i < 10; i++)
        {
            await producer.ProduceAsync(topic, new Message<string, string> { Key = $"{i}", Value = "before" }, cancellation);
        }

        kafka.TakeBrokersDown();
        var whileDown = Enumerable.Range(10, 5)
            .Select(i => producer.ProduceAsync(topic, new Message<string, string> { Key = $"{i}", Value = "during" }, cancellation))
            .ToList();
        await Task.Delay(TimeSpan.FromSeconds(2), cancellation);
        Assert.DoesNotContain(whileDown, send => send.IsCompletedSuccessfully);

        kafka.BringBrokersUp();
        await Task.WhenAll(whileDown).WaitAsync(TimeSpan.FromSeconds(60), cancellation);

        var messages = TopicContents.Read(kafka.BootstrapServers, topic, expected: 15);
        Assert.Equal(Enumerable.Range(0, 15).Select(i => $"{i}").Order(), messages.Select(m => m.Message.Key).Order());
    }
}
