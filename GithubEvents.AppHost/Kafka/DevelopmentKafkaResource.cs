namespace Aspire.Hosting.ApplicationModel;

/// <summary>
/// A Kafka broker for trying the pipeline without a container runtime: librdkafka's mock cluster, hosted in the AppHost
/// process (<see cref="MockKafkaCluster"/>).
/// </summary>
public sealed class DevelopmentKafkaResource(string name) : Resource(name), IResourceWithConnectionString
{
    /// <summary>What the development broker is not, for the dashboard, the start-up log and the README.</summary>
    public const string Limits =
        "librdkafka's mock cluster inside the AppHost: messages are kept in memory only, about 5 MB per partition " +
        "(older ones are dropped); topics are created on first write with 4 partitions and the broker's defaults " +
        "(CreateTopics does not answer); everything in it is gone when the AppHost stops. For more, run Docker or set " +
        "ConnectionStrings:kafka.";

    public MockKafkaCluster Cluster { get; } = new();

    public ReferenceExpression ConnectionStringExpression => ReferenceExpression.Create($"{Cluster}");
}
