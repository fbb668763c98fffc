using GithubEvents.Enrich.Storage;

namespace GithubEvents.Enrich.Consuming;

/// <summary>
/// Writes a batch's Kafka gaps with <see cref="KafkaGapWriter"/>, its poll figures with <see cref="PollFiguresWriter"/>
/// and its rows with <see cref="EventWriter"/>, taking each out of the batch once it is stored, so that a write tried
/// again stores only what is left. A batch the database refuses (<see cref="DatabaseErrors"/>: at once for a value it
/// cannot hold, after <c>Enrich:WholeBatchTries</c> for another refusal) is split in halves, each written on its own,
/// until the events it refuses are found alone; those become dead letters and every other row is stored once. A
/// transient failure midway ends the write, and the next try goes on with the rows still in the batch.
/// </summary>
public sealed partial class BatchWriter(
    EventWriter writer,
    PollFiguresWriter polls,
    KafkaGapWriter gaps,
    WritePause pause,
    EnrichMetrics metrics,
    TimeProvider time,
    ILogger<BatchWriter> logger)
{
    /// <param name="isolate">Split the batch at once: it was refused whole <c>Enrich:WholeBatchTries</c> times.</param>
    public async Task WriteAsync(TriagedBatch batch, bool isolate, CancellationToken cancellationToken)
    {
        await WriteRecordsAsync(batch.Gaps, gaps.WriteAsync, "kafka_gaps", isolate, cancellationToken);
        await WriteRecordsAsync(batch.Polls, polls.WriteAsync, "poll_figures", isolate, cancellationToken);
        if (batch.Rows.Count == 0)
        {
            return;
        }

        if (isolate)
        {
            await SplitAsync(batch, batch.Rows.Count, cancellationToken);
            return;
        }

        try
        {
            await WriteFirstAsync(batch, batch.Rows.Count, cancellationToken);
        }
        catch (Exception ex) when (Classify(ex) == DatabaseErrorKind.RefusedValue)
        {
            LogSplitting(ex.Message, batch.Rows.Count);
            await SplitAsync(batch, batch.Rows.Count, cancellationToken);
        }
    }

    // Gaps and poll figures are Enrich's own records and Ingest's, not events: a set of them refused for good is
    // dropped with an error, so that it never holds the events back.
    private async Task WriteRecordsAsync<T>(List<T> records, Func<IReadOnlyCollection<T>, CancellationToken, Task> write, string what, bool isolate,
        CancellationToken cancellationToken)
    {
        if (records.Count == 0)
        {
            return;
        }

        try
        {
            await write(records, cancellationToken);
        }
        catch (Exception ex) when (isolate && Classify(ex) != DatabaseErrorKind.Transient)
        {
            metrics.Lost(what, records.Count);
            LogRecordsLost(ex, records.Count, what, ex.Message);
        }

        records.Clear();
    }

    // The rows of the batch's first `count` that the database refuses become dead letters; the others are stored.
    private async Task IsolateAsync(TriagedBatch batch, int count, CancellationToken cancellationToken)
    {
        if (count == 0)
        {
            return;
        }

        try
        {
            await WriteFirstAsync(batch, count, cancellationToken);
        }
        catch (Exception ex) when (Classify(ex) != DatabaseErrorKind.Transient)
        {
            if (count > 1)
            {
                await SplitAsync(batch, count, cancellationToken);
                return;
            }

            var refused = batch.Rows[0];
            batch.Rows.RemoveAt(0);
            batch.Rejected.Add(ex is Npgsql.PostgresException refusal
                ? new DeadLetter(refused.Source, "rejected_by_database", $"the database refused the event: {refusal.SqlState} {refusal.MessageText}")
                : new DeadLetter(refused.Source, "unwritable", $"the event could not be written: {ex.GetType().Name}: {ex.Message}"));
        }
    }

    // Each half is taken out of the batch as it is done, so the second half is the first rows by then.
    private async Task SplitAsync(TriagedBatch batch, int count, CancellationToken cancellationToken)
    {
        var half = count / 2;
        await IsolateAsync(batch, half, cancellationToken);
        await IsolateAsync(batch, count - half, cancellationToken);
    }

    private async Task WriteFirstAsync(TriagedBatch batch, int count, CancellationToken cancellationToken)
    {
        var started = time.GetTimestamp();
        var outcome = await writer.WriteAsync(batch.Rows.GetRange(0, count).ConvertAll(row => row.Row), cancellationToken);
        batch.Rows.RemoveRange(0, count);
        metrics.Written(count, outcome, time.GetElapsedTime(started));
    }

    private DatabaseErrorKind Classify(Exception exception) => DatabaseErrors.Classify(exception, pause.DiskFull);

    [LoggerMessage(LogLevel.Warning, "The database refused a batch's value ({Reason}); splitting its {Count} events to find the ones it refuses")]
    private partial void LogSplitting(string reason, int count);

    [LoggerMessage(LogLevel.Error, "The database refused {Count} records of {What} for good ({Reason}); they are dropped so that the events are stored")]
    private partial void LogRecordsLost(Exception exception, int count, string what, string reason);
}
