using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Globalization;
using Confluent.Kafka;
using GithubEvents.Enrich;
using GithubEvents.Enrich.Consuming;
using GithubEvents.Ingest.Publishing;
using GithubEvents.ServiceDefaults.Kafka;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace GithubEvents.Tests.Watch;

/// <summary>
/// Enrich, with its shipped batch size and a tenth of its batch window, storing what a <see cref="WatchRun"/> publishes, on the run's simulated
/// clock: its <see cref="BatchCollector"/> times <c>Enrich:BatchWindow</c> on it, and <see cref="CatchUpAsync"/> holds
/// the clock until Enrich has taken every message Ingest published and stored the events of every batch it closed. A
/// batch's window is a wait on the clock like the pollers' sleeps: the clock moves to its end, unless a poller wakes
/// first. Kafka's and the database's real time are not on the clock. <see cref="StoredAt"/> is the simulated time each
/// event became visible in <c>events</c>.
/// </summary>
internal sealed class EnrichOnTheClock : IDisposable
{
    // A new consumer group joining and finding the topics Ingest created, or a write, on a loaded machine.
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    // Beyond the window, which the collector waits in real time too once the clock stands at its end.
    private static readonly TimeSpan Slack = TimeSpan.FromSeconds(5);

    private readonly EnrichPipeline _pipeline;
    private readonly string _database;
    private readonly MeterListener _listener = new();
    private readonly ConcurrentDictionary<(object? Scope, string Key), long> _sums = new();
    private readonly Dictionary<long, DateTimeOffset> _storedAt = [];
    private WatchRun? _run;
    private EnrichPipeline.Replica? _enrich;
    private TimeSpan _window;
    private (DateTimeOffset Since, long BatchedBefore)? _open;

    /// <summary>Listens to both services' meters from now on, so it must come before they start.</summary>
    public EnrichOnTheClock(EnrichPipeline pipeline, string database)
    {
        _pipeline = pipeline;
        _database = database;
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name is KafkaMetrics.MeterName or EnrichTelemetry.Name)
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) => Add(instrument, value, tags));
        _listener.SetMeasurementEventCallback<int>((instrument, value, tags, _) => Add(instrument, value, tags));
        _listener.Start();
    }

    public IReadOnlyDictionary<long, DateTimeOffset> StoredAt => _storedAt;

    /// <summary>Starts Enrich on <paramref name="run"/>'s clock, reading the topics the run's Ingest publishes to.</summary>
    public async Task<EnrichPipeline.Replica> StartAsync(WatchRun run)
    {
        var shipped = new EnrichOptions();
        _run = run;
        _enrich = await _pipeline.StartAsync(
            settings: new Dictionary<string, string?>
            {
                ["Enrich:BatchSize"] = shipped.BatchSize.ToString(CultureInfo.InvariantCulture),
                // Each poll's figures open a window of their own, about 700 in the run, which the collector also
                // waits in real time: a tenth of the shipped 0.5 s keeps the run short, and counts in the figure all the same.
                ["Enrich:BatchWindow"] = (shipped.BatchWindow / 10).ToString("c", CultureInfo.InvariantCulture),
                ["Storage:TimescaleDb"] = "Never",
            },
            configure: services => services.AddSingleton(provider => ActivatorUtilities.CreateInstance<BatchCollector>(provider, (TimeProvider)run.Time)));
        _window = _enrich.Services.GetRequiredService<IOptions<EnrichOptions>>().Value.BatchWindow;
        return _enrich;
    }

    /// <summary>For <see cref="WatchRun.RunAsync"/>: Enrich's turn before the clock moves to <paramref name="next"/>.</summary>
    public async Task<DateTimeOffset> CatchUpAsync(DateTimeOffset next)
    {
        var run = _run ?? throw new InvalidOperationException("Enrich has not started.");
        var publisher = run.Host.Services.GetRequiredService<EventPublisher>();
        var now = run.Time.GetUtcNow();
        while (true)
        {
            await UntilAsync(() => Task.FromResult(publisher.Unacknowledged == 0 && Taken >= Sent), "Enrich took every message Ingest published", Patience);
            var batched = Batched;
            if (batched >= Sent && await UntilAsync(async () => await _pipeline.CountAsync() >= RawSent, null, Slack))
            {
                _open = null;
                await RecordAsync(now);
                return next;
            }

            // A batch is open. One that began since the last batch closed began now: the clock stood still from
            // Ingest's send until Enrich took the message, and has not moved since.
            if (_open is not { } open || open.BatchedBefore != batched)
            {
                _open = (now, batched);
            }

            var closes = _open.Value.Since + _window;
            if (now < closes)
            {
                return Min(next, closes);
            }

            if (await UntilAsync(() => Task.FromResult(Batched != batched), null, _window + Slack))
            {
                continue;
            }

            // The collector read the clock for the batch's first message only after the clock had moved on (or a
            // rebalance took messages back): its window runs from now, so the events' times come out later, never earlier.
            _open = (now, batched);
            return Min(next, now + _window);
        }
    }

    public void Dispose() => _listener.Dispose();

    private string[] Topics => [_pipeline.Topic, _pipeline.PollsTopic];

    private long Sent => Topics.Sum(topic => Sum(_run!.Host.Services, "messaging.client.sent.messages", topic));

    private long RawSent => Sum(_run!.Host.Services, "messaging.client.sent.messages", _pipeline.Topic);

    // The offsets Enrich's consumer has reached, each message counted once however often a rebalance hands it over again.
    private long Taken
    {
        get
        {
            var consumer = _enrich!.Services.GetRequiredService<IConsumer<string, byte[]>>();
            return consumer.Assignment.Sum(partition => Math.Max(consumer.Position(partition).Value, 0));
        }
    }

    // The messages of the batches Enrich closed.
    private long Batched => Sum(_enrich!.Services, "enrich.batch.size", "");

    private long Sum(IServiceProvider services, string instrument, string topic) =>
        _sums.GetValueOrDefault((services.GetRequiredService<IMeterFactory>(), $"{instrument}/{topic}"));

    private void Add(Instrument instrument, long value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        var topic = "";
        foreach (var tag in tags)
        {
            if (tag.Key == "messaging.destination.name")
            {
                topic = tag.Value as string ?? "";
            }
        }

        _sums.AddOrUpdate((instrument.Meter.Scope, $"{instrument.Name}/{topic}"), value, (_, sum) => sum + value);
    }

    private async Task RecordAsync(DateTimeOffset now)
    {
        if (await _pipeline.CountAsync() > _storedAt.Count)
        {
            foreach (var row in await Sql.RowsAsync(_database, "SELECT event_id FROM events"))
            {
                _storedAt.TryAdd((long)row[0]!, now);
            }
        }
    }

    private static DateTimeOffset Min(DateTimeOffset a, DateTimeOffset b) => a < b ? a : b;

    // Whether the condition came true within the patience; a failure naming what was waited for when it did not and
    // `what` is given.
    private static async Task<bool> UntilAsync(Func<Task<bool>> condition, string? what, TimeSpan patience)
    {
        var deadline = DateTime.UtcNow + patience;
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                return what is null ? false : throw new TimeoutException($"Timed out after {patience.TotalSeconds} s waiting for: {what}");
            }

            await Task.Delay(2, TestContext.Current.CancellationToken);
        }

        return true;
    }
}
