using Confluent.Kafka;

namespace GithubEvents.Tests.Kafka;

/// <summary>Every message on a topic, from all its partitions.</summary>
internal static class TopicContents
{
    /// <summary>
    /// Reads until <paramref name="expected"/> messages have arrived (30 s at most), then on to everything the
    /// partitions hold, so that a test sees extra messages too.
    /// </summary>
    public static List<ConsumeResult<string, byte[]>> Read(string bootstrapServers, string topic, int expected)
    {
        var config = new ConsumerConfig
        {
            BootstrapServers = bootstrapServers,
            GroupId = $"reader-{Guid.NewGuid():N}",
            EnableAutoCommit = false,
        };
        using var consumer = new ConsumerBuilder<string, byte[]>(config).SetLogHandler((_, _) => { }).Build();
        using var admin = new DependentAdminClientBuilder(consumer.Handle).Build();
        var deadline = DateTime.UtcNow.AddSeconds(30);
        var partitions = Partitions(admin, topic, deadline);
        consumer.Assign(partitions.Select(p => new TopicPartitionOffset(p, Offset.Beginning)));

        var messages = new List<ConsumeResult<string, byte[]>>();
        long held = -1;
        while (DateTime.UtcNow < deadline && (messages.Count < expected || messages.Count < held))
        {
            if (consumer.Consume(TimeSpan.FromMilliseconds(100)) is { IsPartitionEOF: false } result)
            {
                messages.Add(result);
            }

            if (messages.Count >= expected && held < 0)
            {
                held = partitions.Sum(p => consumer.QueryWatermarkOffsets(p, TimeSpan.FromSeconds(10)).High.Value);
            }
        }

        return messages;
    }

    // The mock cluster creates a topic on its first write, which may come after the code under test handed the
    // message to its producer: until then the topic has no partitions to read.
    private static List<TopicPartition> Partitions(IAdminClient admin, string topic, DateTime deadline)
    {
        while (true)
        {
            var metadata = admin.GetMetadata(topic, TimeSpan.FromSeconds(10)).Topics.Single();
            if ((!metadata.Error.IsError && metadata.Partitions.Count > 0) || DateTime.UtcNow >= deadline)
            {
                return metadata.Partitions.Select(p => new TopicPartition(topic, p.PartitionId)).ToList();
            }

            Thread.Sleep(100);
        }
    }
}
