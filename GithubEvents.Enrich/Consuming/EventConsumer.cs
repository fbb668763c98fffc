using System.Diagnostics;
using Confluent.Kafka;
using GithubEvents.Enrich.Storage;
using GithubEvents.ServiceDefaults;
using GithubEvents.ServiceDefaults.Kafka;
using Microsoft.Extensions.Options;

namespace GithubEvents.Enrich.Consuming;

/// <summary>
/// Consumes raw events and Ingest's poll figures in batches: collect, triage, write, then dead letters and the offset
/// commit. Offsets are committed only after every message below them is in the database or in the dead-letter topic.
/// While the database or Kafka fails, the partitions are paused and the batch is retried with backoff; nothing is
/// skipped. <see cref="WritePause"/> says why, in the log and in <c>/health</c>. A batch the database refuses for good
/// (<see cref="DatabaseErrors"/>) is written whole <c>Enrich:WholeBatchTries</c> times, then split by
/// <see cref="BatchWriter"/> until the events it refuses are found and dead-lettered. <see cref="ConsumerProgress"/>
/// tells <c>/alive</c> when a batch was last finished.
/// </summary>
public sealed partial class EventConsumer(
    IConsumer<string, byte[]> consumer,
    BatchCollector collector,
    KafkaGapDetector gaps,
    BatchWriter writer,
    DeadLetterPublisher deadLetters,
    OffsetCommitter committer,
    PartitionTracker partitions,
    StorageReadiness storage,
    IOptions<TopicOptions> topics,
    IOptions<EnrichOptions> options,
    WritePause pause,
    ConsumerProgress progress,
    PipelineFigures figures,
    ILogger<EventConsumer> logger) : BackgroundService
{
    // Consume() blocks, so the loop gets a thread of its own rather than one of the host's.
    protected override Task ExecuteAsync(CancellationToken stoppingToken) => Task.Run(() => ConsumeAsync(stoppingToken), stoppingToken);

    // While one batch is written, the next is consumed and parsed: the database and this process work at the same
    // time. Batches are still finished (dead letters, offset commit) one after the other, in order.
    private async Task ConsumeAsync(CancellationToken stoppingToken)
    {
        var flavor = await storage.WaitAsync(stoppingToken);
        var topic = topics.Value.Raw;
        consumer.Subscribe([topic, topics.Value.Polls]);
        LogStarted(topic, topics.Value.Polls, flavor);
        InFlightBatch? writing = null;
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                var next = collector.Collect(returnWhenIdle: writing is not null, stoppingToken);
                if (writing is not null)
                {
                    await FinishAsync(writing, stoppingToken);
                    writing = null;
                    progress.Progressed();
                }

                if (next.Count > 0)
                {
                    writing = StartWriting(topic, next, stoppingToken);
                    progress.Waiting();
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

    private InFlightBatch StartWriting(string topic, List<ConsumeResult<string, byte[]>> messages, CancellationToken stoppingToken)
    {
        var caller = Activity.Current;
        var activity = BatchTracing.StartProcess(topic, messages);
        var triage = MessageTriage.Sort(messages, options.Value.MaxEventBytes, topics.Value.Polls);
        triage.Gaps.AddRange(gaps.TakeFound());
        // The write runs on its own; its database spans are children of the batch's span.
        var write = Task.Run(() => writer.WriteAsync(triage, isolate: false, stoppingToken), stoppingToken);
        Activity.Current = caller;
        return new InFlightBatch(messages, triage, write, activity);
    }

    // Waits for the batch's write, retrying it while it fails, then sends its dead letters and commits its offsets.
    private async Task FinishAsync(InFlightBatch batch, CancellationToken stoppingToken)
    {
        using var activity = batch.Activity;
        var delay = options.Value.RetryDelay;
        var written = false;
        var paused = false;
        while (true)
        {
            try
            {
                if (!written)
                {
                    await batch.Write;
                    written = true;
                }

                await deadLetters.PublishAsync(batch.Triage.Rejected, stoppingToken);
                committer.Commit(batch.Messages);
                figures.Finished(batch.Messages);
                if (paused)
                {
                    consumer.Resume(consumer.Assignment);
                    pause.Resumed();
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

                var refused = !written && DatabaseErrors.Classify(ex, pause.DiskFull) == DatabaseErrorKind.Permanent;
                var tries = options.Value.WholeBatchTries;
                if (refused && ++batch.Refusals >= tries)
                {
                    // No wait: the split writes at once what the database takes.
                    LogIsolating(batch.Refusals, ex.Message);
                }
                else
                {
                    pause.Failed(ex, batch.Messages.Count, delay);
                    collector.WaitPaused(delay, stoppingToken);
                    delay = Retries.Doubled(delay, options.Value.MaxRetryDelay);
                }

                batch.RemoveLost(partitions);
                if (!written)
                {
                    batch.Write = writer.WriteAsync(batch.Triage, isolate: batch.Refusals >= tries, stoppingToken);
                }
            }
        }
    }

    [LoggerMessage(LogLevel.Error,
        "The database refused a batch {Tries} times ({Reason}); splitting it to find the events it refuses, which go to the dead-letter topic")]
    private partial void LogIsolating(int tries, string reason);

    [LoggerMessage(LogLevel.Information, "Consuming {Topic} and {PollsTopic} into the database ({Flavor} schema)")]
    private partial void LogStarted(string topic, string pollsTopic, SchemaFlavor flavor);
}
