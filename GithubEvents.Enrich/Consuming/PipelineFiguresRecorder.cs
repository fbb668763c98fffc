using Confluent.Kafka;
using GithubEvents.Enrich.Storage;
using Microsoft.Extensions.Options;

namespace GithubEvents.Enrich.Consuming;

/// <summary>
/// Once a minute, writes the minutes that ended (<see cref="PipelineFigures"/>) into <c>pipeline_minutes</c> under this
/// replica's name, the last with the consumer's lag on each assigned partition and <c>Storage:DiskBytes</c>. An idle
/// minute gets its row too, so that the alert rules read zeros rather than nothing. A failed write keeps the figures for
/// the next minute's.
/// </summary>
public sealed partial class PipelineFiguresRecorder(
    IConsumer<string, byte[]> consumer,
    PipelineFigures figures,
    PipelineMinutesWriter writer,
    StorageReadiness storage,
    IOptions<StorageOptions> options,
    TimeProvider time,
    ILogger<PipelineFiguresRecorder> logger) : BackgroundService
{
    private static readonly TimeSpan WatermarkTimeout = TimeSpan.FromSeconds(5);

    /// <summary>The replica's name in <c>pipeline_minutes.consumer</c>: the pod's name in Kubernetes.</summary>
    public static string Replica => Environment.MachineName;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await storage.WaitAsync(stoppingToken);
        using var timer = new PeriodicTimer(TimeSpan.FromMinutes(1), time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                await RecordAsync(stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    /// <summary>Writes the minutes that ended before now's.</summary>
    public async Task RecordAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var minutes = figures.TakeBefore(new DateTime(now.Ticks - now.Ticks % TimeSpan.TicksPerMinute, DateTimeKind.Utc), Lag(), options.Value.DiskBytes);
        try
        {
            await writer.WriteAsync(Replica, minutes, cancellationToken);
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            figures.Restore(minutes);
            LogWriteFailed(ex, minutes.Count, ex.Message);
        }
    }

    private List<PartitionLag> Lag()
    {
        var lag = new List<PartitionLag>();
        foreach (var partition in consumer.Assignment)
        {
            var position = consumer.Position(partition);
            if (position == Offset.Unset || High(partition) is not { } high || high == Offset.Unset)
            {
                continue;
            }

            var messages = Math.Max(0, high.Value - position.Value);
            lag.Add(new PartitionLag(partition.Topic, partition.Partition.Value, messages, messages > 0 ? figures.AgeOfNewestFinished(partition) : 0));
        }

        return lag;
    }

    // Asked of the broker: the consumer's own copy is only as new as its last fetch. Kafka out of reach leaves the partition out.
    private Offset? High(TopicPartition partition)
    {
        try
        {
            return consumer.QueryWatermarkOffsets(partition, WatermarkTimeout).High;
        }
        catch (KafkaException ex)
        {
            LogLagUnknown(partition.ToString(), ex.Error.Reason);
            return null;
        }
    }

    [LoggerMessage(LogLevel.Warning, "The lag of {Partition} is left out of this minute's figures: Kafka did not give its end ({Reason})")]
    private partial void LogLagUnknown(string partition, string reason);

    [LoggerMessage(LogLevel.Warning, "Writing {Count} minutes of pipeline figures failed ({Reason}); they are written with the next minute's")]
    private partial void LogWriteFailed(Exception exception, int count, string reason);
}
