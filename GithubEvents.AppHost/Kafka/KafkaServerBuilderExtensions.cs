using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Aspire.Hosting;

/// <summary>
/// Our own Kafka hosting integration, shaped like Aspire.Hosting.Kafka (which this mirror does not serve)
/// so that it can be swapped for the official package later.
/// </summary>
public static class KafkaServerBuilderExtensions
{
    // In a run, Confluent's single-node KRaft image for development (Kafka 4.1), the one Aspire.Hosting.Kafka uses.
    private const string DevelopmentImage = "confluentinc/confluent-local";
    private const string DevelopmentTag = "8.1.1";

    // In a deployment, the Apache Kafka project's own image (the same Kafka 4.1 and the same KAFKA_* variables), made for
    // production: no REST proxy, nothing from the development image's defaults.
    private const string Image = "apache/kafka";
    private const string Tag = "4.1.1";
    private const string Registry = "docker.io";
    private const string DataPath = "/var/lib/kafka/data";

    // Both images run as appuser (uid and gid 1000). apache/kafka writes its server.properties and log4j files into
    // /opt/kafka/config at every start, its own logs into /opt/kafka/logs, and the JVM into /tmp.
    private const long AppUser = 1000;
    private static readonly string[] WritablePaths = ["/opt/kafka/config", "/opt/kafka/logs", "/tmp"];

    private const int HostListenerPort = 9092;
    private const int InternalListenerPort = 9093;
    private const int InContainerPort = 29092;
    private const int ControllerPort = 29093;

    // The maintained fork of provectuslabs/kafka-ui.
    private const string KafkaUIImage = "kafbat/kafka-ui";
    private const string KafkaUITag = "v1.4.2";
    private const int KafkaUIPort = 8080;

    /// <summary>
    /// Adds a one-node Kafka server (KRaft broker and controller) with Snappy compression and a
    /// health check that asks the broker for its metadata.
    /// </summary>
    public static IResourceBuilder<KafkaServerResource> AddKafkaServer(this IDistributedApplicationBuilder builder, [ResourceName] string name, int? port = null)
    {
        var kafka = new KafkaServerResource(name);
        var run = builder.ExecutionContext.IsRunMode;

        return builder.AddResource(kafka)
            .WithImage(run ? DevelopmentImage : Image, run ? DevelopmentTag : Tag)
            .WithImageRegistry(Registry)
            .WithPodSecurity(AppUser, AppUser, WritablePaths)
            .WithEndpoint(targetPort: HostListenerPort, port: port, name: KafkaServerResource.PrimaryEndpointName)
            .WithEndpoint(targetPort: InternalListenerPort, name: KafkaServerResource.InternalEndpointName)
            .WithEnvironment(context => ConfigureBroker(context, kafka))
            .WithKafkaHealthCheck();
    }

    /// <summary>
    /// Sets the default topic retention, by time and by size per partition.
    /// </summary>
    public static IResourceBuilder<KafkaServerResource> WithRetention(this IResourceBuilder<KafkaServerResource> builder, TimeSpan retention, long retentionBytes)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(retention, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(retentionBytes, 0);

        builder.Resource.Retention = retention;
        builder.Resource.RetentionBytes = retentionBytes;
        return builder;
    }

    /// <summary>
    /// Keeps the broker's log in a named volume so topics survive a restart; in a published deployment, on a
    /// persistent volume claim of <paramref name="claimSize"/> at the same path.
    /// </summary>
    public static IResourceBuilder<KafkaServerResource> WithDataVolume(this IResourceBuilder<KafkaServerResource> builder, string? name = null, string claimSize = "20Gi")
    {
        if (!builder.ApplicationBuilder.ExecutionContext.IsRunMode)
        {
            return builder.WithPersistentStorage(DataPath, claimSize);
        }

        return builder.WithVolume(name ?? VolumeNameGenerator.Generate(builder, "data"), DataPath);
    }

    /// <summary>
    /// Adds Kafka UI on the given host port, in run mode only (it is a debugging aid, not part of a deployment).
    /// </summary>
    public static IResourceBuilder<KafkaServerResource> WithKafkaUI(this IResourceBuilder<KafkaServerResource> builder, int hostPort = KafkaUIPort)
    {
        if (!builder.ApplicationBuilder.ExecutionContext.IsRunMode)
        {
            return builder;
        }

        var kafka = builder.Resource;
        builder.ApplicationBuilder.AddResource(new KafkaUIResource($"{kafka.Name}-ui"))
            .WithImage(KafkaUIImage, KafkaUITag)
            .WithImageRegistry(Registry)
            .WithHttpEndpoint(port: hostPort, targetPort: KafkaUIPort)
            .WithEnvironment("KAFKA_CLUSTERS_0_NAME", kafka.Name)
            .WithEnvironment("KAFKA_CLUSTERS_0_BOOTSTRAPSERVERS", ReferenceExpression.Create($"{kafka.Name}:{kafka.InternalEndpoint.Property(EndpointProperty.TargetPort)}"))
            .WaitFor(builder);

        return builder;
    }

    /// <summary>
    /// Reports the resource healthy once a broker answers a metadata request. Works for our container
    /// and for an existing Kafka passed in as a connection string.
    /// </summary>
    public static IResourceBuilder<T> WithKafkaHealthCheck<T>(this IResourceBuilder<T> builder)
        where T : IResourceWithConnectionString
    {
        var resource = builder.Resource;
        var key = $"{resource.Name}_kafka_metadata";
        var check = new KafkaResourceHealthCheck(resource);
        builder.ApplicationBuilder.Services.AddHealthChecks().Add(new HealthCheckRegistration(key, check, failureStatus: default, tags: default));

        return builder.WithHealthCheck(key);
    }

    private static void ConfigureBroker(EnvironmentCallbackContext context, KafkaServerResource kafka)
    {
        var env = context.EnvironmentVariables;

        env["KAFKA_NODE_ID"] = "1";
        env["KAFKA_PROCESS_ROLES"] = "broker,controller";
        env["KAFKA_CONTROLLER_QUORUM_VOTERS"] = $"1@localhost:{ControllerPort}";
        env["KAFKA_CONTROLLER_LISTENER_NAMES"] = "CONTROLLER";
        // PLAINTEXT (inside the container: inter-broker traffic, and confluent-local's REST proxy), PLAINTEXT_HOST
        // (host processes), PLAINTEXT_INTERNAL (other containers), as Aspire.Hosting.Kafka sets them.
        env["KAFKA_LISTENERS"] = $"PLAINTEXT://localhost:{InContainerPort},CONTROLLER://localhost:{ControllerPort},PLAINTEXT_HOST://0.0.0.0:{HostListenerPort},PLAINTEXT_INTERNAL://0.0.0.0:{InternalListenerPort}";
        env["KAFKA_LISTENER_SECURITY_PROTOCOL_MAP"] = "CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT,PLAINTEXT_HOST:PLAINTEXT,PLAINTEXT_INTERNAL:PLAINTEXT";
        env["KAFKA_INTER_BROKER_LISTENER_NAME"] = "PLAINTEXT";

        // Host processes reach the broker through the port Aspire maps on localhost; containers by the
        // resource's name on the container network. A published deployment uses the endpoints' own hosts.
        var host = kafka.PrimaryEndpoint;
        var @internal = kafka.InternalEndpoint;
        env["KAFKA_ADVERTISED_LISTENERS"] = context.ExecutionContext.IsRunMode
            ? ReferenceExpression.Create($"PLAINTEXT://localhost:{InContainerPort.ToString(CultureInfo.InvariantCulture)},PLAINTEXT_HOST://localhost:{host.Property(EndpointProperty.Port)},PLAINTEXT_INTERNAL://{kafka.Name}:{@internal.Property(EndpointProperty.TargetPort)}")
            : ReferenceExpression.Create($"PLAINTEXT://localhost:{InContainerPort.ToString(CultureInfo.InvariantCulture)},PLAINTEXT_HOST://{host.Property(EndpointProperty.HostAndPort)},PLAINTEXT_INTERNAL://{@internal.Property(EndpointProperty.HostAndPort)}");

        // One node: internal topics cannot have more than one replica.
        env["KAFKA_OFFSETS_TOPIC_REPLICATION_FACTOR"] = "1";
        env["KAFKA_TRANSACTION_STATE_LOG_REPLICATION_FACTOR"] = "1";
        env["KAFKA_TRANSACTION_STATE_LOG_MIN_ISR"] = "1";
        env["KAFKA_GROUP_INITIAL_REBALANCE_DELAY_MS"] = "0";

        env["KAFKA_COMPRESSION_TYPE"] = "snappy";
        env["KAFKA_LOG_RETENTION_MS"] = ((long)kafka.Retention.TotalMilliseconds).ToString(CultureInfo.InvariantCulture);
        env["KAFKA_LOG_RETENTION_BYTES"] = kafka.RetentionBytes.ToString(CultureInfo.InvariantCulture);
        // A new persistent volume holds lost+found, which the broker would take for a damaged partition.
        env["KAFKA_LOG_DIRS"] = context.ExecutionContext.IsRunMode ? DataPath : $"{DataPath}/logs";
    }
}
