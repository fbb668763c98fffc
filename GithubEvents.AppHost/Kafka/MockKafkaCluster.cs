using Confluent.Kafka;

namespace Aspire.Hosting.ApplicationModel;

/// <summary>
/// librdkafka's mock cluster, alive while this object is: one broker on a loopback port, speaking the real Kafka protocol
/// to any process. Its bootstrap address is the value of <see cref="DevelopmentKafkaResource"/>'s connection string.
/// </summary>
public sealed class MockKafkaCluster : IValueProvider, IManifestExpressionProvider, IDisposable
{
    private IProducer<Null, Null>? _owner;

    public string? BootstrapServers { get; private set; }

    public string ValueExpression => "{kafka.connectionString}";

    /// <summary>Starts the cluster; once only.</summary>
    public string Start()
    {
        if (BootstrapServers is { } started)
        {
            return started;
        }

        var config = new ProducerConfig();
        config.Set("test.mock.num.brokers", "1");
        _owner = new ProducerBuilder<Null, Null>(config).SetLogHandler((_, _) => { }).Build();
        using var admin = new DependentAdminClientBuilder(_owner.Handle).Build();
        var metadata = admin.GetMetadata(TimeSpan.FromSeconds(10));
        return BootstrapServers = string.Join(",", metadata.Brokers.Select(broker => $"{broker.Host}:{broker.Port}"));
    }

    public ValueTask<string?> GetValueAsync(CancellationToken cancellationToken = default) => ValueTask.FromResult(BootstrapServers);

    public void Dispose() => _owner?.Dispose();
}
