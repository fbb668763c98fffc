using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using GithubEvents.Ingest;
using GithubEvents.Tests.Infrastructure;
using GithubEvents.Tests.Kafka;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace GithubEvents.Tests.Ingest;

/// <summary>Hosts with Ingest's registrations, writing to topics of their own on the Kafka mock cluster.</summary>
internal static class IngestTestHost
{
    public static HostApplicationBuilder Builder(
        string bootstrapServers,
        TimeProvider time,
        LogCapture logs,
        IDictionary<string, string?>? settings = null)
    {
        var topic = KafkaMockCluster.NewTopicName();
        var builder = KafkaClientHost.Builder(bootstrapServers, new Dictionary<string, string?>
        {
            ["Kafka:Topics:Raw"] = topic,
            ["Kafka:Topics:DeadLetters"] = $"{topic}-dlq",
            // The mock cluster has no controller to create topics: do not wait long for it.
            ["Kafka:Topics:CreateTimeout"] = "00:00:00.200",
        });
        if (settings is not null)
        {
            builder.Configuration.AddInMemoryCollection(settings);
        }

        builder.Services.AddSingleton(time);
        builder.Logging.SetMinimumLevel(LogLevel.Trace);
        builder.Logging.AddProvider(logs);
        return builder;
    }

    public static string RawTopic(this IHost host) => host.Services.GetRequiredService<IConfiguration>()["Kafka:Topics:Raw"]!;

    public static string DeadLetterTopic(this IHost host) => host.Services.GetRequiredService<IConfiguration>()["Kafka:Topics:DeadLetters"]!;
}

/// <summary>Sums of the Ingest meter's counters in one host (other tests' hosts have meters of the same name).</summary>
internal sealed class IngestMetrics : IDisposable
{
    private readonly MeterListener _listener = new();
    private readonly ConcurrentDictionary<string, long> _sums = new();

    public IngestMetrics(IServiceProvider services)
    {
        var factory = services.GetRequiredService<IMeterFactory>();
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == IngestTelemetry.Name && ReferenceEquals(instrument.Meter.Scope, factory))
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) =>
        {
            _sums.AddOrUpdate(instrument.Name, value, (_, sum) => sum + value);
            foreach (var tag in tags)
            {
                if (tag.Key is "error.type" or "event.source")
                {
                    _sums.AddOrUpdate($"{instrument.Name}/{tag.Value}", value, (_, sum) => sum + value);
                }
            }
        });
        _listener.Start();
    }

    /// <summary>The counter's total, or its total for one error type or source (<c>name/tag</c>).</summary>
    public long this[string name] => _sums.GetValueOrDefault(name);

    public void Dispose() => _listener.Dispose();
}
