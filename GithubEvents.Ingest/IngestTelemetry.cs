using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace GithubEvents.Ingest;

/// <summary>The Ingest service's meter and activity source, both named <see cref="Name"/>.</summary>
public sealed class IngestTelemetry
{
    public const string Name = "GithubEvents.Ingest";

    public static readonly ActivitySource ActivitySource = new(Name);

    private readonly Counter<long> _published;
    private readonly Counter<long> _duplicates;
    private readonly Counter<long> _gaps;
    private readonly Counter<long> _watchMisses;
    private readonly Histogram<long> _eventsPerRequest;
    private readonly Counter<long> _pollFailures;
    private readonly Counter<long> _deadLetters;
    private readonly Counter<long> _deliveryRetries;
    private readonly Counter<long> _lostAtShutdown;
    private readonly Counter<long> _undeliveredMinutes;

    public IngestTelemetry(IMeterFactory meterFactory)
    {
        var meter = meterFactory.Create(Name);
        _published = meter.CreateCounter<long>("github.events.published", "{event}", "Events handed to Kafka, by source (live or archive).");
        _duplicates = meter.CreateCounter<long>("github.events.duplicates", "{event}", "Events a poller had already seen on its feed and dropped.");
        _gaps = meter.CreateCounter<long>("github.events.gaps", "{gap}", "Polls whose deepest page was all new: events were missed between polls.");
        _watchMisses = meter.CreateCounter<long>(
            "github.watch.misses", "{poll}", "Polls of a watched feed that found all of it new: the feed turned over between two polls, by feed.");
        _eventsPerRequest = meter.CreateHistogram<long>(
            "github.events.per_request", "{event}", "New events each answered feed request brought (0 for a 304): what a request of the budget buys.");
        _pollFailures = meter.CreateCounter<long>("github.poll.failures", "{request}", "Feed requests that failed, by reason.");
        _deadLetters = meter.CreateCounter<long>("github.events.dead_letters", "{message}", "Messages sent to the dead-letter topic.");
        _deliveryRetries = meter.CreateCounter<long>("github.events.delivery_retries", "{message}", "Kafka deliveries that failed and were sent again.");
        _lostAtShutdown = meter.CreateCounter<long>(
            "github.events.lost_at_shutdown", "{message}", "Messages Kafka had not acknowledged when shutdown had waited Kafka:Publishing:DrainTimeout.");
        _undeliveredMinutes = meter.CreateCounter<long>(
            "github.poll.undelivered_minutes", "{minute}", "Minutes the live poller paused (part of) because Kafka held back as many events as it may hold.");
    }

    public void Published(string source) => _published.Add(1, new KeyValuePair<string, object?>("event.source", source));

    public void Duplicates(int count) => _duplicates.Add(count);

    public void Gap() => _gaps.Add(1);

    public void WatchMissed(string feed) => _watchMisses.Add(1, new KeyValuePair<string, object?>("github.feed", feed));

    public void RequestAnswered(int newEvents) => _eventsPerRequest.Record(newEvents);

    public void PollFailed(string reason) => _pollFailures.Add(1, new KeyValuePair<string, object?>("error.type", reason));

    public void DeadLettered() => _deadLetters.Add(1);

    public void DeliveryRetried() => _deliveryRetries.Add(1);

    public void LostAtShutdown(int count) => _lostAtShutdown.Add(count);

    public void UndeliveredMinute() => _undeliveredMinutes.Add(1);
}
