using System.Text;
using System.Text.Json;
using Confluent.Kafka;
using GithubEvents.ServiceDefaults.Kafka;

namespace GithubEvents.Tests.Enrich;

/// <summary>
/// A batch the database refuses for good, for one of its events, is split until that event is found: it goes to the
/// dead-letter topic with the database's reason, and the rest of the batch is stored, each row once (issue 25, item 3).
/// The test's own database refuses two events of the sample: one by a CHECK constraint (23514), one by a trigger's
/// RAISE (P0001); the trigger also records each row it lets through, so that a row written twice would show.
/// </summary>
public sealed class PermanentErrorTests(PostgresServer postgres, KafkaMockCluster kafka)
{
    private const int Checked = 150;
    private const int Raised = 420;

    [Fact]
    public async Task An_event_the_database_refuses_for_good_is_dead_lettered_with_the_reason_and_the_rest_of_its_batch_is_stored_once()
    {
        var database = await postgres.CreateDatabaseAsync();
        await using (await EventDatabase.OpenAsync(database))
        {
            await Sql.ExecuteAsync(database,
                $"""
                 CREATE TABLE test_rows_let_through (event_id bigint NOT NULL);
                 CREATE FUNCTION test_refuse() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER AS $$
                 BEGIN
                     IF NEW.event_id = {EventId(Raised)} THEN
                         RAISE EXCEPTION 'event % is refused by the test', NEW.event_id;
                     END IF;
                     INSERT INTO test_rows_let_through VALUES (NEW.event_id);
                     RETURN NEW;
                 END $$;
                 CREATE TRIGGER test_refuse BEFORE INSERT ON events FOR EACH ROW EXECUTE FUNCTION test_refuse();
                 ALTER TABLE events ADD CONSTRAINT test_check CHECK (event_id <> {EventId(Checked)});
                 """);
        }

        var pipeline = EnrichPipeline.Create(kafka, database);
        var figures = new PollFigures(new DateTimeOffset(2026, 12, 1, 10, 42, 0, TimeSpan.Zero), "ingest-1", 1, 1, 1, 0, 0, 100, 100, 0);
        pipeline.ProducePollFigures(figures);
        // One partition, so that the refused events share their batches with the others.
        pipeline.Produce(ArchiveFixture.Events.Select(json => ((string?)null, json)), partition: 0);

        var logs = new LogCapture();
        await using (await pipeline.StartAsync(logs: logs))
        {
            await EnrichPipeline.EventuallyAsync(async () => pipeline.CommittedTotal() == ArchiveFixture.EventCount, "every offset committed");
        }

        Assert.Equal(ArchiveFixture.EventCount - 2, await pipeline.CountAsync());
        Assert.Equal(0, await pipeline.CountAsync($"SELECT count(*) FROM events WHERE event_id IN ({EventId(Checked)}, {EventId(Raised)})"));
        Assert.Equal(ArchiveFixture.EventCount - 2, await pipeline.CountAsync("SELECT count(*) FROM test_rows_let_through"));
        Assert.Equal(ArchiveFixture.EventCount - 2, await pipeline.CountAsync("SELECT count(DISTINCT event_id) FROM test_rows_let_through"));
        Assert.Equal(1, await pipeline.CountAsync("SELECT count(*) FROM ingest_polls"));

        var letters = pipeline.DeadLetters(2);
        Assert.Equal(2, letters.Count);
        AssertLetter(letters, Checked, "the database refused the event: 23514 new row for relation");
        AssertLetter(letters, Raised, $"the database refused the event: P0001 event {EventId(Raised)} is refused by the test");
        Assert.Contains(logs.Entries, log => log.Message.StartsWith("The database refused a batch 3 times (23514", StringComparison.Ordinal));
    }

    private static void AssertLetter(List<ConsumeResult<string, byte[]>> letters, int index, string reason)
    {
        var letter = Assert.Single(letters, letter => letter.Message.Value.AsSpan().SequenceEqual(ArchiveFixture.Events[index]));
        Assert.StartsWith(reason, Encoding.UTF8.GetString(letter.Message.Headers.GetLastBytes(DeadLetterHeaders.Reason)));
        Assert.Equal(index.ToString(System.Globalization.CultureInfo.InvariantCulture), Encoding.UTF8.GetString(letter.Message.Headers.GetLastBytes(DeadLetterHeaders.SourceOffset)));
    }

    private static long EventId(int index) => long.Parse(JsonDocument.Parse(ArchiveFixture.Events[index]).RootElement.GetProperty("id").GetString()!, System.Globalization.CultureInfo.InvariantCulture);
}
