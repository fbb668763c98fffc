using System.Diagnostics.Metrics;
using GithubEvents.Enrich.Storage;

namespace GithubEvents.Enrich.Consuming;

/// <summary>
/// The write path's instruments, on the meter named after the application (which the service defaults export).
/// Consumer lag per partition comes from <c>GithubEvents.Kafka</c>. The batches, write time and dead letters are counted
/// per minute in <see cref="PipelineFigures"/> too, for <c>pipeline_minutes</c>.
/// </summary>
public sealed class EnrichMetrics(EnrichMeter meter, PipelineFigures figures)
{
    private readonly Counter<long> _written = meter.Counter("enrich.events.written", "{event}", "Events written to the database");
    private readonly Counter<long> _duplicates = meter.Counter("enrich.events.duplicates", "{event}", "Events the database already had (another source's included)");
    private readonly Counter<long> _marked = meter.Counter("enrich.events.sightings_added", "{event}", "Events the database had from another source, marked as delivered by this one too");
    private readonly Counter<long> _deadLetters = meter.Counter("enrich.events.dead_lettered", "{message}", "Messages sent to the dead-letter topic, by reason");
    private readonly Counter<long> _truncated = meter.Counter("enrich.dead_letters.truncated", "{message}", "Dead letters too large for Kafka, sent cut to their headers and a prefix");
    private readonly Counter<long> _lost = meter.Counter("enrich.records.lost", "{record}", "Records neither stored nor dead-lettered because Kafka or the database refused them for good, by what they were");
    private readonly Counter<long> _offsetsLost = meter.Counter("enrich.kafka.offsets_lost", "{message}", "Messages Kafka deleted before Enrich read them (its retention overtook the consumer), by topic");
    private readonly Histogram<int> _batchSize = meter.Meter.CreateHistogram<int>("enrich.batch.size", "{message}", "Messages per written batch");
    private readonly Histogram<double> _writeDuration = meter.Meter.CreateHistogram<double>("enrich.write.duration", "s", "Time to write one batch to the database, retries excluded");

    public void Batch(int messages)
    {
        _batchSize.Record(messages);
        figures.Batch(messages);
    }

    public void Written(int events, EventWriteOutcome outcome, TimeSpan duration)
    {
        _written.Add(outcome.Inserted);
        _duplicates.Add(events - outcome.Inserted);
        _marked.Add(outcome.Marked);
        _writeDuration.Record(duration.TotalSeconds);
        figures.Written(duration);
    }

    public void OffsetsLost(string topic, long count) => _offsetsLost.Add(count, new KeyValuePair<string, object?>("messaging.destination.name", topic));

    public void Truncated() => _truncated.Add(1);

    /// <param name="what">dead_letter, poll_figures or kafka_gaps.</param>
    public void Lost(string what, long count) => _lost.Add(count, new KeyValuePair<string, object?>("record", what));

    public void DeadLettered(string kind)
    {
        _deadLetters.Add(1, new KeyValuePair<string, object?>("reason", kind));
        figures.DeadLettered(kind);
    }
}
