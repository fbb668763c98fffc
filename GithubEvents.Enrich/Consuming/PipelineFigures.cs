using Confluent.Kafka;

namespace GithubEvents.Enrich.Consuming;

/// <summary>
/// The write path's figures per minute, counted as <see cref="EnrichMetrics"/> counts them, until
/// <see cref="PipelineFiguresRecorder"/> takes the ended minutes into <c>pipeline_minutes</c>; and the Kafka timestamp
/// of the newest message finished on each partition, the event age of its lag.
/// </summary>
public sealed class PipelineFigures(TimeProvider time)
{
    private readonly Lock _lock = new();
    private readonly SortedDictionary<DateTime, Counts> _minutes = new();
    private readonly Dictionary<TopicPartition, DateTime> _newestFinished = [];

    public void Batch(int messages) => Add(counts => { counts.Batches++; counts.Messages += messages; });

    public void Written(TimeSpan duration) => Add(counts => counts.WriteSeconds += duration.TotalSeconds);

    public void DeadLettered(string kind) => Add(counts => counts.DeadLetters[kind] = counts.DeadLetters.GetValueOrDefault(kind) + 1);

    /// <summary>A batch's messages are stored or dead-lettered, and their offsets committed.</summary>
    public void Finished(IEnumerable<ConsumeResult<string, byte[]>> messages)
    {
        lock (_lock)
        {
            foreach (var message in messages)
            {
                var stamped = message.Message.Timestamp.UtcDateTime;
                if (!_newestFinished.TryGetValue(message.TopicPartition, out var newest) || stamped > newest)
                {
                    _newestFinished[message.TopicPartition] = stamped;
                }
            }
        }
    }

    /// <summary>Seconds since the newest message finished on the partition was stamped by Kafka; null when none was.</summary>
    public double? AgeOfNewestFinished(TopicPartition partition)
    {
        lock (_lock)
        {
            return _newestFinished.TryGetValue(partition, out var newest)
                ? Math.Max(0, (time.GetUtcNow().UtcDateTime - newest).TotalSeconds)
                : null;
        }
    }

    /// <summary>Takes the figures of the minutes before <paramref name="minute"/>, with a row for the minute before it even if idle.</summary>
    public List<PipelineMinute> TakeBefore(DateTime minute, IReadOnlyList<PartitionLag> lag, long? diskBytes)
    {
        var ended = minute.AddMinutes(-1);
        lock (_lock)
        {
            _minutes.TryAdd(ended, new Counts());
            var taken = _minutes.Where(entry => entry.Key < minute).ToList();
            foreach (var (key, _) in taken)
            {
                _minutes.Remove(key);
            }

            return taken.ConvertAll(entry => new PipelineMinute(entry.Key, entry.Value.Batches, entry.Value.Messages, entry.Value.WriteSeconds,
                entry.Value.DeadLetters, entry.Key == ended ? lag : Array.Empty<PartitionLag>(), entry.Key == ended ? diskBytes : null));
        }
    }

    /// <summary>Puts back figures whose write failed, to be written with the next.</summary>
    public void Restore(IEnumerable<PipelineMinute> minutes)
    {
        lock (_lock)
        {
            foreach (var row in minutes)
            {
                var counts = Minute(row.Minute);
                counts.Batches += row.Batches;
                counts.Messages += row.Messages;
                counts.WriteSeconds += row.WriteSeconds;
                foreach (var (kind, count) in row.DeadLetters)
                {
                    counts.DeadLetters[kind] = counts.DeadLetters.GetValueOrDefault(kind) + count;
                }
            }
        }
    }

    private void Add(Action<Counts> add)
    {
        var now = time.GetUtcNow().UtcDateTime;
        lock (_lock)
        {
            add(Minute(new DateTime(now.Ticks - now.Ticks % TimeSpan.TicksPerMinute, DateTimeKind.Utc)));
        }
    }

    private Counts Minute(DateTime minute)
    {
        if (!_minutes.TryGetValue(minute, out var counts))
        {
            counts = new Counts();
            _minutes[minute] = counts;
        }

        return counts;
    }

    private sealed class Counts
    {
        public int Batches { get; set; }

        public int Messages { get; set; }

        public double WriteSeconds { get; set; }

        public Dictionary<string, int> DeadLetters { get; } = [];
    }
}
