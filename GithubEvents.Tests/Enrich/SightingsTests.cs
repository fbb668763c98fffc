using GithubEvents.Enrich.Events;
using GithubEvents.Enrich.Storage;

namespace GithubEvents.Tests.Enrich;

/// <summary>Which sources delivered each stored event: the write path's marks, and the counts by source that follow them.</summary>
public sealed class SightingsTests(PostgresServer postgres)
{
    // Three hours ago, on an hour: the aggregates materialise it at the first refresh.
    private static readonly DateTime Time = new DateTime(DateTime.UtcNow.Ticks - (DateTime.UtcNow.Ticks % TimeSpan.TicksPerHour), DateTimeKind.Utc).AddHours(-3);

    [Theory]
    [MemberData(nameof(StoragePaths.Both), MemberType = typeof(StoragePaths))]
    public async Task Another_source_adds_its_mark_and_the_same_source_again_writes_nothing(SchemaFlavor path)
    {
        await using var database = await EventDatabase.CreateAsync(postgres, path);

        Assert.Equal(new EventWriteOutcome(1, 0), await WriteAsync(database, (1, SourceBits.Live)));
        var version = await RowVersionAsync(database, 1);
        await database.RefreshAggregatesAsync();
        Assert.Equal([[(short)1, 1L]], await CaptureAsync(database));

        // Redelivered by the same source: no row, no mark, not even a new row version.
        Assert.Equal(new EventWriteOutcome(0, 0), await WriteAsync(database, (1, SourceBits.Live)));
        Assert.Equal(version, await RowVersionAsync(database, 1));

        // The archive delivers it too: one row still, with both marks, and the materialised hour follows.
        Assert.Equal(new EventWriteOutcome(0, 1), await WriteAsync(database, (1, SourceBits.Archive)));
        Assert.Equal(new EventWriteOutcome(0, 0), await WriteAsync(database, (1, SourceBits.Archive), (1, SourceBits.Live)));
        await database.RefreshAggregatesAsync();
        Assert.Equal([[(short)3, 1L]], await CaptureAsync(database));

        // Both sources in one batch: one row with both marks. A message that named no known source marks nothing.
        Assert.Equal(new EventWriteOutcome(1, 0), await WriteAsync(database, (2, SourceBits.Live), (2, SourceBits.Archive)));
        Assert.Equal(new EventWriteOutcome(1, 0), await WriteAsync(database, (3, 0)));
        Assert.Equal(new EventWriteOutcome(0, 1), await WriteAsync(database, (3, SourceBits.Archive)));
        Assert.Equal(
            [[1L, (short)3], [2L, (short)3], [3L, (short)2]],
            await Sql.RowsAsync(database.ConnectionString, "SELECT event_id, sources FROM events ORDER BY event_id"));
        await database.RefreshAggregatesAsync();
        Assert.Equal([[(short)2, 1L], [(short)3, 2L]], await CaptureAsync(database));
    }

    [Fact]
    public async Task The_archive_marks_live_events_already_in_a_compressed_chunk()
    {
        await using var database = await EventDatabase.CreateAsync(postgres, SchemaFlavor.TimescaleDb);
        var tenDaysAgo = Time.AddDays(-10);
        var ids = Enumerable.Range(1, 500).Select(i => (long)i).ToList();
        Assert.Equal(new EventWriteOutcome(500, 0), await WriteAsync(database, tenDaysAgo, ids.Select(id => (id, SourceBits.Live)).ToArray()));
        await Sql.ExecuteAsync(database.ConnectionString, "SELECT compress_chunk(c) FROM show_chunks('events') AS c");

        // The archive hour, with a hundred events the poller missed.
        var archive = ids.Where(id => id % 2 == 0).Concat(Enumerable.Range(501, 100).Select(i => (long)i)).Select(id => (id, SourceBits.Archive)).ToArray();
        Assert.Equal(new EventWriteOutcome(100, 250), await WriteAsync(database, tenDaysAgo, archive));
        Assert.Equal(
            [[(short)1, 250L], [(short)2, 100L], [(short)3, 250L]],
            await Sql.RowsAsync(database.ConnectionString, "SELECT sources, count(*) FROM events GROUP BY sources ORDER BY sources"));
    }

    private static Task<EventWriteOutcome> WriteAsync(EventDatabase database, params (long Id, short Sources)[] events) => WriteAsync(database, Time, events);

    private static Task<EventWriteOutcome> WriteAsync(EventDatabase database, DateTime time, params (long Id, short Sources)[] events) =>
        database.Writer.WriteAsync(
            events.Select(e => GitHubEventParser.TryParse(TestEvents.Event(e.Id, "IssuesEvent", time.AddSeconds(e.Id), "octocat", 583231, "octo/repo"), out var row, out var rejection)
                ? row with { Sources = e.Sources }
                : throw new InvalidOperationException(rejection)).ToList(),
            TestContext.Current.CancellationToken);

    private static async Task<string> RowVersionAsync(EventDatabase database, long id) =>
        (string)(await Sql.ScalarAsync(database.ConnectionString, $"SELECT xmin::text || '/' || ctid::text FROM events WHERE event_id = {id}"))!;

    private static Task<List<object?[]>> CaptureAsync(EventDatabase database) =>
        Sql.RowsAsync(database.ConnectionString, "SELECT sources, sum(event_count)::bigint FROM capture_stats_5m GROUP BY sources ORDER BY sources");
}
