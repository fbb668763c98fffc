using GithubEvents.Enrich.Consuming;
using Microsoft.Extensions.Options;
using NpgsqlTypes;

namespace GithubEvents.Enrich.Storage;

/// <summary>
/// Records the gaps a batch's consuming found in <c>kafka_gaps</c>. A gap found again (a retried batch, another replica
/// after a rebalance) keeps its row, widened to the larger end.
/// </summary>
public sealed class KafkaGapWriter(WriterDataSource writer, IOptions<StorageOptions> options)
{
    private const string Upsert =
        """
        INSERT INTO kafka_gaps AS g (topic, partition, from_offset, to_offset, before_time, after_time)
        SELECT * FROM unnest(@topic, @partition, @from_offset, @to_offset, @before_time, @after_time)
        ON CONFLICT (topic, partition, from_offset) DO UPDATE
        SET to_offset = greatest(g.to_offset, excluded.to_offset),
            after_time = CASE WHEN excluded.to_offset > g.to_offset THEN excluded.after_time ELSE g.after_time END,
            before_time = coalesce(g.before_time, excluded.before_time)
        """;

    public async Task WriteAsync(IReadOnlyCollection<KafkaGap> found, CancellationToken cancellationToken)
    {
        if (found.Count == 0)
        {
            return;
        }

        // One row per key in a statement: the widest of each.
        var gaps = found.GroupBy(gap => (gap.Topic, gap.Partition, gap.FromOffset)).Select(same => same.MaxBy(gap => gap.ToOffset)!).ToList();

        await using var command = writer.DataSource.CreateCommand(Upsert);
        command.CommandTimeout = options.Value.WriteTimeoutSeconds;
        var parameters = command.Parameters;
        parameters.Add(new("topic", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = gaps.Select(gap => gap.Topic).ToArray() });
        parameters.Add(new("partition", NpgsqlDbType.Array | NpgsqlDbType.Integer) { Value = gaps.Select(gap => gap.Partition).ToArray() });
        parameters.Add(new("from_offset", NpgsqlDbType.Array | NpgsqlDbType.Bigint) { Value = gaps.Select(gap => gap.FromOffset).ToArray() });
        parameters.Add(new("to_offset", NpgsqlDbType.Array | NpgsqlDbType.Bigint) { Value = gaps.Select(gap => gap.ToOffset).ToArray() });
        parameters.Add(new("before_time", NpgsqlDbType.Array | NpgsqlDbType.TimestampTz) { Value = gaps.Select(gap => gap.Before).ToArray() });
        parameters.Add(new("after_time", NpgsqlDbType.Array | NpgsqlDbType.TimestampTz) { Value = gaps.Select(gap => gap.After).ToArray() });
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
