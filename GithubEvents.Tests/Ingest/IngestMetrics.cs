using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using GithubEvents.Ingest;
using Microsoft.Extensions.DependencyInjection;

namespace GithubEvents.Tests.Ingest;

/// <summary>Sums of the Ingest meter's counters and histograms in one host (other tests' hosts have meters of the same name).</summary>
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
            _sums.AddOrUpdate($"{instrument.Name}#count", 1, (_, count) => count + 1);
            foreach (var tag in tags)
            {
                if (tag.Key is "error.type" or "event.source" or "github.feed")
                {
                    _sums.AddOrUpdate($"{instrument.Name}/{tag.Value}", value, (_, sum) => sum + value);
                }
            }
        });
        _listener.Start();
    }

    /// <summary>
    /// The instrument's total, or its total for one error type or source (<c>name/tag</c>), or how many measurements
    /// it took (<c>name#count</c>).
    /// </summary>
    public long this[string name] => _sums.GetValueOrDefault(name);

    public void Dispose() => _listener.Dispose();
}
