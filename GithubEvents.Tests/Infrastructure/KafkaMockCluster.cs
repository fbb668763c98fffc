using GithubEvents.KafkaMock;

namespace GithubEvents.Tests.Infrastructure;

/// <summary>
/// librdkafka's mock cluster (<see cref="MockCluster"/>): real Kafka protocol over TCP on loopback, alive for the
/// collection. Any client in any process reaches it at <see cref="BootstrapServers"/>.
/// </summary>
public sealed class KafkaMockCluster : IAsyncLifetime
{
    private const int Brokers = 3;

    private MockCluster? _cluster;

    public string BootstrapServers => _cluster?.BootstrapServers ?? "";

    public ValueTask InitializeAsync()
    {
        _cluster = MockCluster.Start(Brokers);
        return ValueTask.CompletedTask;
    }

    /// <summary>Partitions of a topic the mock cluster creates on first use.</summary>
    public const int AutoCreatedPartitions = 4;

    /// <summary>
    /// A topic name of its own for one test, so tests never see each other's messages. The mock cluster creates
    /// the topic, with <see cref="AutoCreatedPartitions"/> partitions, when a producer first writes to it: its
    /// CreateTopics does not answer (it reports controller id 0, which no mock broker has).
    /// </summary>
    public static string NewTopicName() => $"test-{Guid.NewGuid():N}";

    /// <summary>Every broker drops its connections and refuses new ones until <see cref="BringBrokersUp"/>.</summary>
    public void TakeBrokersDown() => _cluster!.TakeBrokersDown();

    public void BringBrokersUp() => _cluster!.BringBrokersUp();

    public ValueTask DisposeAsync()
    {
        _cluster?.Dispose();
        return ValueTask.CompletedTask;
    }
}
