using Confluent.Kafka;
using Microsoft.Extensions.Options;

namespace GithubEvents.Enrich.Consuming;

/// <summary>
/// Polls the consumer: a batch is <c>Enrich:BatchSize</c> messages or what came within <c>Enrich:BatchWindow</c> of the
/// first, without the messages of partitions a rebalance took meanwhile, each checked for a gap before it
/// (<see cref="KafkaGapDetector"/>). Consuming errors that pass on their own (a
/// topic that does not exist yet) are logged once each and polling goes on; a fatal one ends the consumer. While it
/// waits for a first message it tells <see cref="ConsumerProgress"/> whether any wait (lag on an assigned partition).
/// </summary>
public sealed partial class BatchCollector(
    IConsumer<string, byte[]> consumer,
    PartitionTracker partitions,
    KafkaGapDetector gaps,
    IOptions<EnrichOptions> options,
    EnrichMetrics metrics,
    ConsumerProgress progress,
    TimeProvider time,
    ILogger<BatchCollector> logger)
{
    private static readonly TimeSpan IdlePoll = TimeSpan.FromMilliseconds(250);

    private ErrorCode? _lastError;

    /// <param name="returnWhenIdle">Returns an empty batch after one idle poll, so that a batch in flight is finished.</param>
    public List<ConsumeResult<string, byte[]>> Collect(bool returnWhenIdle, CancellationToken stoppingToken)
    {
        var settings = options.Value;
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
                if (firstArrived is null)
                {
                    if (returnWhenIdle)
                    {
                        break;
                    }

                    ReportIdle();
                }

                continue;
            }

            gaps.Check(consumer, result);
            batch.Add(result);
            firstArrived ??= time.GetTimestamp();
        }

        if (batch.Count > 0)
        {
            metrics.Batch(batch.Count);
        }

        return batch;
    }

    /// <summary>
    /// Keeps polling for <paramref name="delay"/> while the partitions are paused, so the consumer stays in its group; a
    /// message from a partition assigned meanwhile (not paused yet) is put back and its partition paused too.
    /// </summary>
    public void WaitPaused(TimeSpan delay, CancellationToken stoppingToken)
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

    private ConsumeResult<string, byte[]>? ConsumeOrReport(TimeSpan wait)
    {
        try
        {
            var result = consumer.Consume(wait);
            _lastError = null;
            return result;
        }
        catch (ConsumeException ex) when (!ex.Error.IsFatal)
        {
            if (_lastError != ex.Error.Code)
            {
                _lastError = ex.Error.Code;
                LogConsumeError(ex.Error.Code, ex.Error.Reason);
            }

            return null;
        }
    }

    // Lag from what the client knows already (the high watermark of its last fetch), so no request to the broker.
    private void ReportIdle()
    {
        var lagging = consumer.Assignment.Any(partition =>
            consumer.Position(partition) is { IsSpecial: false } position
            && consumer.GetWatermarkOffsets(partition).High is { IsSpecial: false } high
            && high.Value > position.Value);
        if (lagging)
        {
            progress.Waiting();
        }
        else
        {
            progress.Progressed();
        }
    }

    private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;

    [LoggerMessage(LogLevel.Warning, "Consuming failed ({Code}: {Reason}); still polling")]
    private partial void LogConsumeError(ErrorCode code, string reason);
}
