using GithubEvents.Enrich.Storage;
using Npgsql;

namespace GithubEvents.Enrich.Consuming;

/// <summary>
/// Writes a batch's Kafka gaps with <see cref="KafkaGapWriter"/>, its poll figures with <see cref="PollFiguresWriter"/>
/// and its rows with <see cref="EventWriter"/>. A
/// batch the database refuses as data (a value it cannot store) is written row by row, and the rows it still refuses
/// become dead letters: one bad event never stalls its partition.
/// </summary>
public sealed partial class BatchWriter(EventWriter writer, PollFiguresWriter polls, KafkaGapWriter gaps, EnrichMetrics metrics, TimeProvider time, ILogger<BatchWriter> logger)
{
    /// <summary>Writes the rows; those the database refuses are added to <see cref="TriagedBatch.Rejected"/>.</summary>
    public async Task WriteAsync(TriagedBatch batch, CancellationToken cancellationToken)
    {
        await gaps.WriteAsync(batch.Gaps, cancellationToken);
        await polls.WriteAsync(batch.Polls, cancellationToken);
        var rows = batch.Rows;
        if (rows.Count == 0)
        {
            return;
        }

        var started = time.GetTimestamp();
        try
        {
            var outcome = await writer.WriteAsync(rows.ConvertAll(row => row.Row), cancellationToken);
            metrics.Written(rows.Count, outcome, time.GetElapsedTime(started));
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
                    metrics.Written(1, await writer.WriteAsync([row], cancellationToken), TimeSpan.Zero);
                }
                catch (PostgresException rowError) when (IsDataError(rowError))
                {
                    refused.Add(new DeadLetter(source, "rejected_by_database", $"the database refused the event: {rowError.SqlState} {rowError.MessageText}"));
                }
            }

            batch.Rejected.AddRange(refused);
        }
    }

    // Class 22 is data exceptions (bad values), 54 program limits (say, a value too long for an index). Class 53
    // (insufficient resources: a full disk, too many connections) is the server's state, not the batch's: retried whole.
    private static bool IsDataError(PostgresException exception) =>
        exception.SqlState.StartsWith("22", StringComparison.Ordinal) || exception.SqlState.StartsWith("54", StringComparison.Ordinal);

    [LoggerMessage(LogLevel.Warning, "The database refused a batch as data ({SqlState}); writing its {Count} events one by one")]
    private partial void LogWritingOneByOne(string sqlState, int count);
}
