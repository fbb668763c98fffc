using GithubEvents.Enrich.Storage;
using GithubEvents.ServiceDefaults.Kafka;

namespace GithubEvents.Tests.Enrich;

public sealed class UndeliveredMinutesTests(PostgresServer postgres)
{
    private static readonly DateTimeOffset Hour = new(2026, 12, 7, 4, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task A_minute_once_undelivered_stays_so_and_its_hour_reads_as_known_incomplete()
    {
        await using var database = await EventDatabase.CreateAsync(postgres, SchemaFlavor.Postgres);
        var writer = new PollFiguresWriter(database.WriterDataSource, Microsoft.Extensions.Options.Options.Create(database.Storage));
        var cancellation = TestContext.Current.CancellationToken;

        // Two pollers undelivered in the same minute count once; a later message of the minute does not clear it.
        await writer.WriteAsync([Figures(Hour.AddMinutes(20), "ingest-1", requests: 1, undelivered: true), Figures(Hour.AddMinutes(20), "ingest-2", requests: 1, undelivered: true)], cancellation);
        await writer.WriteAsync([Figures(Hour.AddMinutes(20), "ingest-1", requests: 4, undelivered: false), Figures(Hour.AddMinutes(21), "ingest-1", requests: 2, undelivered: true)], cancellation);
        await writer.WriteAsync([Figures(Hour.AddHours(1), "ingest-1", requests: 1, undelivered: false)], cancellation);

        Assert.Equal(
            [[Hour.AddMinutes(20).UtcDateTime, "ingest-1", 4, true], [Hour.AddMinutes(20).UtcDateTime, "ingest-2", 1, true], [Hour.AddMinutes(21).UtcDateTime, "ingest-1", 2, true], [Hour.AddHours(1).UtcDateTime, "ingest-1", 1, false]],
            await Sql.RowsAsync(database.ConnectionString, "SELECT minute, poller, requests, undelivered FROM ingest_polls ORDER BY minute, poller"));
        Assert.Equal(
            [[Hour.UtcDateTime, 2L, true], [Hour.AddHours(1).UtcDateTime, 0L, false]],
            await Sql.RowsAsync(database.ConnectionString, "SELECT hour, undelivered_minutes, known_incomplete FROM v_capture_by_hour ORDER BY hour"));
    }

    private static PollFigures Figures(DateTimeOffset minute, string poller, int requests, bool undelivered) =>
        new(minute, poller, requests, requests, requests, 0, 0, 0, 0, 0, Undelivered: undelivered);
}
