namespace Aspire.Hosting.ApplicationModel;

/// <summary>
/// Kafka UI (kafbat/kafka-ui), a web console for topics, messages and consumer groups.
/// </summary>
public sealed class KafkaUIResource(string name) : ContainerResource(name);
