using GithubEvents.Enrich.Storage;
using GithubEvents.ServiceDefaults.Kafka;

namespace GithubEvents.Tests.Enrich;

public sealed class PollDeadLettersTests(PostgresServer postgres)
{
    private static readonly DateTimeOffset Minute = new(2026, 12, 7, 5, 30, 0, TimeSpan.Zero);

    [Fact]
    public async Task The_pieces_of_a_minutes_answers_that_were_no_events_are_stored_for_the_public_and_the_watched_feeds_and_summed_by_the_hour()
    {
        await using var database = await EventDatabase.CreateAsync(postgres, SchemaFlavor.Postgres);
        var writer = new PollFiguresWriter(database.WriterDataSource, Microsoft.Extensions.Options.Options.Create(database.Storage));
        var cancellation = TestContext.Current.CancellationToken;

        // The minute's figures so far only grow: a message redelivered with fewer changes nothing.
        await writer.WriteAsync([Figures(PollFigures.PublicFeed, requests: 2, deadLetters: 3), Figures("repos/dotnet/aspire/events", requests: 1, deadLetters: 1)], cancellation);
        await writer.WriteAsync([Figures(PollFigures.PublicFeed, requests: 3, deadLetters: 5), Figures(PollFigures.PublicFeed, requests: 1, deadLetters: 1)], cancellation);

        Assert.Equal([[5]], await Sql.RowsAsync(database.ConnectionString, "SELECT dead_letters FROM ingest_polls"));
        Assert.Equal([[1]], await Sql.RowsAsync(database.ConnectionString, "SELECT dead_letters FROM watch_polls"));
        Assert.Equal([[5L]], await Sql.RowsAsync(database.ConnectionString, "SELECT dead_letters FROM v_polls_by_hour"));
    }

    private static PollFigures Figures(string feed, int requests, int deadLetters) =>
        new(Minute, "ingest-1", requests, requests, requests, 0, 0, 0, 0, 0, feed, DeadLetters: deadLetters);
}
