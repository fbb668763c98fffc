using Confluent.Kafka;
using GithubEvents.ServiceDefaults.Kafka;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging;

namespace Microsoft.Extensions.Hosting;

/// <summary>
/// Registers Kafka producers and consumers the way Aspire's client integrations do (Aspire.Confluent.Kafka is
/// not served here): bootstrap servers from <c>ConnectionStrings:{name}</c>, librdkafka properties from
/// <c>Kafka:Producer:Config</c> or <c>Kafka:Consumer:Config</c>, a health check, tracing and metrics.
/// </summary>
public static class KafkaClientExtensions
{
    public const string ProducerSection = "Kafka:Producer";
    public const string ConsumerSection = "Kafka:Consumer";

    private static readonly TimeSpan StatisticsInterval = TimeSpan.FromSeconds(5);

    public static IHostApplicationBuilder AddKafkaProducer<TKey, TValue>(
        this IHostApplicationBuilder builder,
        string connectionName,
        Action<KafkaClientSettings>? configureSettings = null)
    {
        var settings = ReadSettings(builder, connectionName, ProducerSection, configureSettings);

        builder.Services.AddMetrics();
        builder.Services.TryAddSingleton<KafkaMetrics>();
        AddFatalErrorCheck(builder);
        builder.Services.AddSingleton<IProducer<TKey, TValue>>(services =>
        {
            var logger = services.GetRequiredService<ILoggerFactory>().CreateLogger("GithubEvents.Kafka.Producer");
            var metrics = services.GetRequiredService<KafkaMetrics>();
            var fatal = services.GetRequiredService<KafkaFatalErrors>();
            var producer = new ProducerBuilder<TKey, TValue>(ClientConfig(settings))
                .SetLogHandler((_, message) => LogClientMessage(logger, message))
                .SetErrorHandler((_, error) => OnClientError(logger, metrics, fatal, "producer", "send", error))
                .Build();
            return new TracedProducer<TKey, TValue>(producer, metrics, !settings.DisableTracing);
        });

        AddHealthCheck(builder, connectionName, settings);
        return builder;
    }

    /// <param name="configureBuilder">Sets what only the builder can, such as rebalance handlers.</param>
    public static IHostApplicationBuilder AddKafkaConsumer<TKey, TValue>(
        this IHostApplicationBuilder builder,
        string connectionName,
        Action<KafkaClientSettings>? configureSettings = null,
        Action<IServiceProvider, ConsumerBuilder<TKey, TValue>>? configureBuilder = null)
    {
        var settings = ReadSettings(builder, connectionName, ConsumerSection, configureSettings);
        if (!settings.Config.TryGetValue("group.id", out var groupId) || string.IsNullOrWhiteSpace(groupId))
        {
            throw new InvalidOperationException($"The Kafka consumer needs a group id: set {ConsumerSection}:Config:group.id.");
        }

        if (!settings.DisableMetrics)
        {
            settings.Config.TryAdd("statistics.interval.ms", ((int)StatisticsInterval.TotalMilliseconds).ToString(System.Globalization.CultureInfo.InvariantCulture));
        }

        builder.Services.AddMetrics();
        builder.Services.TryAddSingleton<KafkaMetrics>();
        AddFatalErrorCheck(builder);
        builder.Services.AddSingleton<IConsumer<TKey, TValue>>(services =>
        {
            var logger = services.GetRequiredService<ILoggerFactory>().CreateLogger("GithubEvents.Kafka.Consumer");
            var metrics = services.GetRequiredService<KafkaMetrics>();
            var fatal = services.GetRequiredService<KafkaFatalErrors>();
            var consumerBuilder = new ConsumerBuilder<TKey, TValue>(ClientConfig(settings))
                .SetLogHandler((_, message) => LogClientMessage(logger, message))
                .SetErrorHandler((_, error) => OnClientError(logger, metrics, fatal, "consumer", "receive", error));
            if (!settings.DisableMetrics)
            {
                consumerBuilder.SetStatisticsHandler((_, json) => metrics.RecordStatistics(json));
            }

            configureBuilder?.Invoke(services, consumerBuilder);

            return new TracedConsumer<TKey, TValue>(consumerBuilder.Build(), metrics, !settings.DisableTracing, groupId);
        });

        AddHealthCheck(builder, connectionName, settings);
        return builder;
    }

    private static KafkaClientSettings ReadSettings(
        IHostApplicationBuilder builder,
        string connectionName,
        string section,
        Action<KafkaClientSettings>? configureSettings)
    {
        var settings = new KafkaClientSettings();
        builder.Configuration.GetSection(section).Bind(settings);
        if (builder.Configuration.GetConnectionString(connectionName) is { Length: > 0 } connectionString)
        {
            settings.BootstrapServers = connectionString;
        }

        configureSettings?.Invoke(settings);

        if (string.IsNullOrWhiteSpace(settings.BootstrapServers) && !settings.Config.ContainsKey("bootstrap.servers"))
        {
            throw new InvalidOperationException(
                $"Kafka is not configured: set ConnectionStrings:{connectionName} to the bootstrap servers (e.g. localhost:9092) " +
                $"or {section}:Config:bootstrap.servers.");
        }

        // One warning per section, however many clients read it.
        if (builder.Properties.TryAdd($"{nameof(KafkaPlaintextWarning)}:{section}", true))
        {
            builder.Services.AddSingleton<IHostedService>(services =>
                new KafkaPlaintextWarning(section, ClientConfig(settings), services.GetRequiredService<ILogger<KafkaPlaintextWarning>>()));
        }

        return settings;
    }

    private static Dictionary<string, string> ClientConfig(KafkaClientSettings settings)
    {
        var config = new Dictionary<string, string>(settings.Config, StringComparer.Ordinal);
        if (!string.IsNullOrWhiteSpace(settings.BootstrapServers))
        {
            config["bootstrap.servers"] = settings.BootstrapServers;
        }

        return config;
    }

    // One check per connection, however many clients use it.
    private static void AddHealthCheck(IHostApplicationBuilder builder, string connectionName, KafkaClientSettings settings)
    {
        if (settings.DisableHealthChecks)
        {
            return;
        }

        var name = $"kafka-{connectionName}";
        builder.Services.AddHealthChecks();
        builder.Services.Configure<HealthCheckServiceOptions>(options =>
        {
            if (options.Registrations.All(registration => registration.Name != name))
            {
                var check = new KafkaHealthCheck(new ClientConfig(ClientConfig(settings)));
                options.Registrations.Add(new HealthCheckRegistration(name, check, failureStatus: null, tags: ["ready"]));
            }
        });
    }

    // One liveness check for every client of the process, whatever settings they have: a fatal error is never healthy.
    private static void AddFatalErrorCheck(IHostApplicationBuilder builder)
    {
        if (builder.Services.Any(service => service.ServiceType == typeof(KafkaFatalErrors)))
        {
            return;
        }

        builder.Services.AddSingleton<KafkaFatalErrors>();
        builder.Services.AddHealthChecks().Add(new HealthCheckRegistration(
            KafkaFatalErrors.HealthCheckName, services => services.GetRequiredService<KafkaFatalErrors>(), failureStatus: null, tags: ["live"]));
    }

    private static void LogClientMessage(ILogger logger, LogMessage message)
    {
        var level = message.Level switch
        {
            SyslogLevel.Emergency or SyslogLevel.Alert or SyslogLevel.Critical => LogLevel.Critical,
            SyslogLevel.Error => LogLevel.Error,
            SyslogLevel.Warning => LogLevel.Warning,
            SyslogLevel.Notice or SyslogLevel.Info => LogLevel.Information,
            _ => LogLevel.Debug,
        };
        logger.Log(level, "librdkafka {Facility}: {Message}", message.Facility, message.Message);
    }

    private static void OnClientError(ILogger logger, KafkaMetrics metrics, KafkaFatalErrors fatal, string role, string operation, Error error)
    {
        metrics.Error(operation, error.Code);
        fatal.Report(role, error);
        // librdkafka recovers from all but fatal errors by itself (reconnects, retries).
        logger.Log(error.IsFatal ? LogLevel.Critical : LogLevel.Warning,
            "Kafka client error {Code}: {Reason}", error.Code, error.Reason);
    }
}
