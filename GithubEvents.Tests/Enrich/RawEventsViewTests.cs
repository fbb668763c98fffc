using System.Text.Json.Nodes;
using GithubEvents.Enrich.Events;
using GithubEvents.Enrich.Storage;
using Microsoft.Extensions.Options;

namespace GithubEvents.Tests.Enrich;

/// <summary>v_raw_events says which events the write path altered to store them, so that a reprocessing knows.</summary>
public sealed class RawEventsViewTests(PostgresServer postgres)
{
    [Theory]
    [MemberData(nameof(StoragePaths.Both), MemberType = typeof(StoragePaths))]
    public async Task V_raw_events_shows_what_the_write_path_altered(SchemaFlavor path)
    {
        await using var database = await EventDatabase.CreateAsync(postgres, path);
        var now = DateTime.UtcNow;
        var rows = new[]
        {
            TestEvents.Event(1, "WatchEvent", now, "alice", 1, "octo/repo", new JsonObject { ["note"] = "a\u0000b" }),
            TestEvents.Event(2, "WatchEvent", now, "bob", 2, "octo/repo"),
        }.Select(json => GitHubEventParser.TryParse(json, out var row, out var rejection) ? row : throw new InvalidOperationException(rejection)).ToList();
        var writer = new EventWriter(database.WriterDataSource, database.Readiness, new ActorBacklogQueueing(TimeSpan.FromDays(1)), Options.Create(database.Storage));
        await writer.WriteAsync(rows, TestContext.Current.CancellationToken);

        Assert.Equal(
            [[1L, new[] { "nul_escape" }, "a\ufffdb"], [2L, null, null]],
            await Sql.RowsAsync(database.ConnectionString, "SELECT event_id, altered, event->'payload'->>'note' FROM v_raw_events ORDER BY event_id"));
    }
}
