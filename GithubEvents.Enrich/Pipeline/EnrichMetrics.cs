using System.Diagnostics.Metrics;

namespace GithubEvents.Enrich.Pipeline;

/// <summary>
/// The write path's instruments, on the meter named after the application (which the service defaults export).
/// Consumer lag per partition comes from <c>GithubEvents.Kafka</c>.
/// </summary>
public sealed class EnrichMetrics
{
    public const string MeterName = "GithubEvents.Enrich";

    private readonly Counter<long> written;
    private readonly Counter<long> duplicates;
    private readonly Counter<long> deadLetters;
    private readonly Histogram<int> batchSize;
    private readonly Histogram<double> writeDuration;

    public EnrichMetrics(IMeterFactory meterFactory)
    {
        var meter = meterFactory.Create(MeterName);
        written = meter.CreateCounter<long>("enrich.events.written", "{event}", "Events written to the database");
        duplicates = meter.CreateCounter<long>("enrich.events.duplicates", "{event}", "Events skipped because the database already had them");
        deadLetters = meter.CreateCounter<long>("enrich.events.dead_lettered", "{message}", "Messages sent to the dead-letter topic, by reason");
        batchSize = meter.CreateHistogram<int>("enrich.batch.size", "{message}", "Messages per written batch");
        writeDuration = meter.CreateHistogram<double>("enrich.write.duration", "s", "Time to write one batch to the database, retries excluded");
    }

    public void Batch(int messages) => batchSize.Record(messages);

    public void Written(int rows, int skipped, TimeSpan duration)
    {
        written.Add(rows);
        duplicates.Add(skipped);
        writeDuration.Record(duration.TotalSeconds);
    }

    public void DeadLettered(string kind) => deadLetters.Add(1, new KeyValuePair<string, object?>("reason", kind));
}
