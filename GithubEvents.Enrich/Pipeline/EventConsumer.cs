using System.Diagnostics;
using Confluent.Kafka;
using GithubEvents.Enrich.Events;
using GithubEvents.Enrich.Storage;
using GithubEvents.ServiceDefaults;
using GithubEvents.ServiceDefaults.Kafka;
using Microsoft.Extensions.Options;
using Npgsql;

namespace GithubEvents.Enrich.Pipeline;

/// <summary>
/// Consumes raw events in batches and writes them with <see cref="EventWriter"/>. Offsets are committed by hand, and
/// only after every message below them is in the database or in the dead-letter topic. While the database or Kafka
/// fails, the partitions are paused and the batch is retried with backoff; nothing is skipped.
/// </summary>
public sealed partial class EventConsumer(
    IConsumer<string, byte[]> consumer,
    PartitionTracker partitions,
    EventWriter writer,
    DeadLetterPublisher deadLetters,
    StorageReadiness storage,
    IOptions<EnrichOptions> options,
    EnrichMetrics metrics,
    TimeProvider time,
    ILogger<EventConsumer> logger) : BackgroundService
{
    private static readonly ActivitySource ActivitySource = new(EnrichMetrics.MeterName);

    private static readonly TimeSpan IdlePoll = TimeSpan.FromMilliseconds(250);
    private const int MaxLinks = 128;

    private readonly EnrichOptions settings = options.Value;
    private ErrorCode? lastError;

    // Consume() blocks, so the loop gets a thread of its own rather than one of the host's.
    protected override Task ExecuteAsync(CancellationToken stoppingToken) => Task.Run(() => ConsumeAsync(stoppingToken), stoppingToken);

    // While one batch is written, the next is consumed and parsed: the database and this process work at the same
    // time. Batches are still finished (dead letters, offset commit) one after the other, in order.
    private async Task ConsumeAsync(CancellationToken stoppingToken)
    {
        var path = await storage.WaitAsync(stoppingToken);
        consumer.Subscribe(settings.Topic);
        LogStarted(settings.Topic, path);
        InFlightBatch? writing = null;
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                var next = CollectBatch(returnWhenIdle: writing is not null, stoppingToken);
                if (writing is not null)
                {
                    await FinishAsync(writing, path, stoppingToken);
                    writing = null;
                }

                if (next.Count > 0)
                {
                    writing = StartWriting(next, path, stoppingToken);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        finally
        {
            // An unfinished batch is not committed: its messages come again and are skipped as duplicates.
            if (writing is not null)
            {
                await writing.Write.ContinueWith(_ => { }, TaskScheduler.Default);
                writing.Activity?.Dispose();
            }

            // Leaves the group at once, so the partitions move to the other replicas without a session timeout.
            consumer.Close();
        }
    }

    private sealed record InFlightBatch(
        List<ConsumeResult<string, byte[]>> Messages,
        List<(ConsumeResult<string, byte[]> Source, EventRow Row)> Rows,
        List<DeadLetter> Rejected,
        Task Write,
        Activity? Activity);

    /// <param name="returnWhenIdle">Returns an empty batch after one idle poll, so that a batch in flight is finished.</param>
    private List<ConsumeResult<string, byte[]>> CollectBatch(bool returnWhenIdle, CancellationToken stoppingToken)
    {
        var batch = new List<ConsumeResult<string, byte[]>>();
        var removals = partitions.Removals;
        long? firstArrived = null;
        while (batch.Count < settings.BatchSize && !stoppingToken.IsCancellationRequested)
        {
            var wait = firstArrived is { } first ? settings.BatchWindow - time.GetElapsedTime(first) : IdlePoll;
            if (wait <= TimeSpan.Zero)
            {
                break;
            }

            var result = ConsumeOrReport(wait);
            // A rebalance inside Consume may have taken partitions whose messages are already in the batch.
            if (partitions.Removals != removals)
            {
                removals = partitions.Removals;
                batch.RemoveAll(message => !partitions.Owns(message.TopicPartition));
            }

            if (result is null || result.IsPartitionEOF)
            {
                if (returnWhenIdle && firstArrived is null)
                {
                    break;
                }

                continue;
            }

            batch.Add(result);
            firstArrived ??= time.GetTimestamp();
        }

        return batch;
    }

    // Errors such as a topic that does not exist yet (Ingest creates it) pass on their own: they are logged once
    // each, and polling goes on. A fatal one ends the consumer, and with it the service.
    private ConsumeResult<string, byte[]>? ConsumeOrReport(TimeSpan wait)
    {
        try
        {
            var result = consumer.Consume(wait);
            lastError = null;
            return result;
        }
        catch (ConsumeException ex) when (!ex.Error.IsFatal)
        {
            if (lastError != ex.Error.Code)
            {
                lastError = ex.Error.Code;
                LogConsumeError(ex.Error.Code, ex.Error.Reason);
            }

            return null;
        }
    }

    private InFlightBatch StartWriting(List<ConsumeResult<string, byte[]>> messages, StoragePath path, CancellationToken stoppingToken)
    {
        var caller = Activity.Current;
        var activity = StartProcessActivity(messages);
        metrics.Batch(messages.Count);
        var (rows, rejected) = Parse(messages);
        // The write runs on its own; its database spans are children of the batch's span.
        var write = Task.Run(() => WriteAsync(rows, rejected, path, stoppingToken), stoppingToken);
        Activity.Current = caller;
        return new InFlightBatch(messages, rows, rejected, write, activity);
    }

    // Waits for the batch's write, retrying it while it fails, then sends its dead letters and commits its offsets.
    private async Task FinishAsync(InFlightBatch batch, StoragePath path, CancellationToken stoppingToken)
    {
        using var activity = batch.Activity;
        var (messages, rows, rejected, write) = (batch.Messages, batch.Rows, batch.Rejected, batch.Write);
        var delay = settings.RetryDelay;
        var written = false;
        var paused = false;
        while (true)
        {
            try
            {
                if (!written)
                {
                    await write;
                    written = true;
                }

                await deadLetters.PublishAsync(rejected, stoppingToken);
                Commit(messages);
                if (paused)
                {
                    consumer.Resume(consumer.Assignment);
                    LogResumed();
                }

                return;
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                activity?.AddException(ex);
                if (!paused)
                {
                    consumer.Pause(consumer.Assignment);
                    paused = true;
                }

                LogRetrying(ex, messages.Count, delay);
                WaitPaused(delay, stoppingToken);
                delay = Retries.Doubled(delay, settings.MaxRetryDelay);

                // Partitions lost meanwhile belong to another consumer now, which starts from the committed offset.
                messages.RemoveAll(message => !partitions.Owns(message.TopicPartition));
                rows.RemoveAll(row => !partitions.Owns(row.Source.TopicPartition));
                rejected.RemoveAll(letter => !partitions.Owns(letter.Source.TopicPartition));
                if (!written)
                {
                    write = WriteAsync(rows, rejected, path, stoppingToken);
                }
            }
        }
    }

    private (List<(ConsumeResult<string, byte[]> Source, EventRow Row)> Rows, List<DeadLetter> Rejected) Parse(List<ConsumeResult<string, byte[]>> batch)
    {
        var rows = new List<(ConsumeResult<string, byte[]>, EventRow)>(batch.Count);
        var rejected = new List<DeadLetter>();
        foreach (var message in batch)
        {
            var value = message.Message.Value;
            if (value is null || value.Length == 0)
            {
                rejected.Add(new DeadLetter(message, "empty", "the message has no value"));
            }
            else if (value.Length > settings.MaxEventBytes)
            {
                rejected.Add(new DeadLetter(message, "too_large", $"{value.Length} bytes is over Enrich:MaxEventBytes ({settings.MaxEventBytes})"));
            }
            else if (GitHubEventParser.TryParse(value, out var row, out var reason))
            {
                rows.Add((message, row));
            }
            else
            {
                rejected.Add(new DeadLetter(message, reason.StartsWith("invalid JSON", StringComparison.Ordinal) ? "invalid_json" : "not_an_event", reason));
            }
        }

        return (rows, rejected);
    }

    // A batch the database refuses as data (a value it cannot store) is written row by row, and the rows it still
    // refuses become dead letters: one bad event never stalls its partition.
    private async Task WriteAsync(
        List<(ConsumeResult<string, byte[]> Source, EventRow Row)> rows,
        List<DeadLetter> rejected,
        StoragePath path,
        CancellationToken cancellationToken)
    {
        if (rows.Count == 0)
        {
            return;
        }

        var started = time.GetTimestamp();
        try
        {
            var inserted = await writer.WriteAsync(rows.ConvertAll(row => row.Row), path, cancellationToken);
            metrics.Written(inserted, rows.Count - inserted, time.GetElapsedTime(started));
        }
        catch (PostgresException ex) when (IsDataError(ex))
        {
            LogWritingOneByOne(ex.SqlState, rows.Count);
            // Added to the rejected only once every row is through, so that a retry after a failure midway adds none twice.
            var refused = new List<DeadLetter>();
            foreach (var (source, row) in rows)
            {
                try
                {
                    var inserted = await writer.WriteAsync([row], path, cancellationToken);
                    metrics.Written(inserted, 1 - inserted, TimeSpan.Zero);
                }
                catch (PostgresException rowError) when (IsDataError(rowError))
                {
                    refused.Add(new DeadLetter(source, "rejected_by_database", $"the database refused the event: {rowError.SqlState} {rowError.MessageText}"));
                }
            }

            rejected.AddRange(refused);
        }
    }

    // Class 22 is data exceptions (bad values), 54 program limits (say, a value too long for an index).
    private static bool IsDataError(PostgresException exception) =>
        exception.SqlState.StartsWith("22", StringComparison.Ordinal) || exception.SqlState.StartsWith("54", StringComparison.Ordinal);

    private void Commit(List<ConsumeResult<string, byte[]>> batch)
    {
        var offsets = batch
            .Where(message => partitions.Owns(message.TopicPartition))
            .GroupBy(message => message.TopicPartition)
            .Select(messages => new TopicPartitionOffset(messages.Key, messages.Max(message => message.Offset.Value) + 1))
            .ToList();
        if (offsets.Count == 0)
        {
            return;
        }

        try
        {
            consumer.Commit(offsets);
            LogCommitted(string.Join(", ", offsets));
        }
        catch (KafkaException ex)
        {
            // The rows are in; the messages come again after a rebalance and are skipped as duplicates.
            LogCommitFailed(ex, ex.Error.Code);
        }
    }

    // Keeps polling while paused, so the consumer stays in its group; a message from a partition assigned meanwhile
    // (not paused yet) is put back and its partition paused too.
    private void WaitPaused(TimeSpan delay, CancellationToken stoppingToken)
    {
        var started = time.GetTimestamp();
        while (!stoppingToken.IsCancellationRequested && time.GetElapsedTime(started) is var elapsed && elapsed < delay)
        {
            var result = ConsumeOrReport(Min(delay - elapsed, IdlePoll));
            if (result is { IsPartitionEOF: false })
            {
                consumer.Seek(result.TopicPartitionOffset);
                consumer.Pause([result.TopicPartition]);
            }
        }

        stoppingToken.ThrowIfCancellationRequested();
    }

    private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;

    private Activity? StartProcessActivity(List<ConsumeResult<string, byte[]>> batch)
    {
        var links = batch
            .Select(message => KafkaTracing.Extract(message.Message.Headers))
            .Where(context => context != default)
            .Take(MaxLinks)
            .Select(context => new ActivityLink(context));
        var activity = ActivitySource.StartActivity($"{settings.Topic} process", ActivityKind.Consumer, parentContext: default, links: links);
        activity?.SetTag("messaging.system", "kafka");
        activity?.SetTag("messaging.operation.type", "process");
        activity?.SetTag("messaging.destination.name", settings.Topic);
        activity?.SetTag("messaging.batch.message_count", batch.Count);
        return activity;
    }

    [LoggerMessage(LogLevel.Information, "Consuming {Topic} into the database ({Path} path)")]
    private partial void LogStarted(string topic, StoragePath path);

    [LoggerMessage(LogLevel.Warning, "Could not store a batch of {Count} messages; partitions paused, retrying in {Delay}")]
    private partial void LogRetrying(Exception exception, int count, TimeSpan delay);

    [LoggerMessage(LogLevel.Information, "Batch stored after retrying; partitions resumed")]
    private partial void LogResumed();

    [LoggerMessage(LogLevel.Warning, "The database refused a batch as data ({SqlState}); writing its {Count} events one by one")]
    private partial void LogWritingOneByOne(string sqlState, int count);

    [LoggerMessage(LogLevel.Warning, "Consuming failed ({Code}: {Reason}); still polling")]
    private partial void LogConsumeError(ErrorCode code, string reason);

    [LoggerMessage(LogLevel.Debug, "Committed {Offsets}")]
    private partial void LogCommitted(string offsets);

    [LoggerMessage(LogLevel.Warning, "Committing offsets failed ({Code}); the stored messages will be redelivered and skipped")]
    private partial void LogCommitFailed(Exception exception, ErrorCode code);
}
