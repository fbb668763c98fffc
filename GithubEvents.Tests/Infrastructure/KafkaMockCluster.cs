using Confluent.Kafka;

namespace GithubEvents.Tests.Infrastructure;

/// <summary>
/// librdkafka's mock cluster: real Kafka protocol over TCP on loopback, started by a client created with
/// <c>test.mock.num.brokers</c> and alive while that client is. Any client in any process reaches it at
/// <see cref="BootstrapServers"/>.
/// </summary>
public sealed class KafkaMockCluster : IAsyncLifetime
{
    private const int Brokers = 3;

    private IProducer<Null, Null>? _owner;

    public string BootstrapServers { get; private set; } = "";

    public ValueTask InitializeAsync()
    {
        var config = new ProducerConfig();
        config.Set("test.mock.num.brokers", Brokers.ToString(System.Globalization.CultureInfo.InvariantCulture));
        _owner = new ProducerBuilder<Null, Null>(config)
        .SetLogHandler((_, _) => { })
        .Build();

        using var admin = new DependentAdminClientBuilder(_owner.Handle).Build();
        var metadata = admin.GetMetadata(TimeSpan.FromSeconds(10));
        BootstrapServers = string.Join(",", metadata.Brokers.Select(b => $"{b.Host}:{b.Port}"));
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

    public ValueTask DisposeAsync()
    {
        _owner?.Dispose();
        return ValueTask.CompletedTask;
    }
}
