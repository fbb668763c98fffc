using System.Text.Json.Nodes;
using GithubEvents.Enrich.Archive;
using GithubEvents.Enrich.Events;
using GithubEvents.Enrich.Storage;

namespace GithubEvents.Tests.Archive;

/// <summary>
/// An export fingerprints the rows it reads, rather than the hour before reading it, and compares that with the database's
/// fingerprint once the files are written: the two must agree for every kind of row, or no hour would ever be archived.
/// </summary>
public sealed class ArchiveFingerprintTests(PostgresServer postgres)
{
    [Fact]
    public async Task The_fingerprint_of_the_rows_an_export_read_is_the_one_the_database_gives_of_the_hour()
    {
        await using var run = await ArchiveRun.CreateAsync(postgres, SchemaFlavor.Postgres);
        var (plain, varied) = (new ArchiveHour(ArchiveRun.HoursAgo(3)), new ArchiveHour(ArchiveRun.HoursAgo(2)));
        await run.WriteAsync(Enumerable.Range(1, 1_500).Select(i => (
            (long)i, i % 3 == 0 ? "PushEvent" : "IssuesEvent", (i % 2 == 0 ? plain : varied).Start.AddSeconds(i),
            i % 4 == 0 ? SourceBits.Live : (short)(SourceBits.Archive | SourceBits.Watch), (JsonObject?)new JsonObject { ["action"] = "opened" })));
        // In the varied hour: profiles and places filled in later, bots, members restored, a detail beyond the BMP.
        await Sql.ExecuteAsync(run.Database.ConnectionString,
            """
            UPDATE events SET location = 'Lyon', country_code = 'FR' WHERE event_id % 5 = 1;
            UPDATE events SET company = 'ACME', public_repos = 3 WHERE event_id % 7 = 1;
            UPDATE events SET public_repos = 0 WHERE event_id % 11 = 1;
            UPDATE events SET is_bot = true WHERE event_id % 13 = 1;
            UPDATE events SET detail = detail || ' 😀 é' WHERE event_id % 17 = 1;
            UPDATE events SET restored = ARRAY['issue.title', 'issue.state'] WHERE event_id % 19 = 1;
            UPDATE events SET restored = ARRAY[]::text[] WHERE event_id % 23 = 1;
            """);

        foreach (var hour in new[] { plain, varied })
        {
            using var staged = await run.Exporter.StageAsync(hour, 1, TestContext.Current.CancellationToken);

            Assert.NotNull(staged);
            var (events, fingerprint) = await run.Store.FingerprintAsync(hour, TestContext.Current.CancellationToken);
            Assert.Equal(750, events);
            Assert.Equal(fingerprint, staged.Record.Fingerprint);
        }
    }
}
