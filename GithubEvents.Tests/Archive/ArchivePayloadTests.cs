using System.Text.Json.Nodes;
using GithubEvents.Enrich.Archive;
using GithubEvents.Enrich.Events;
using GithubEvents.Enrich.Storage;

namespace GithubEvents.Tests.Archive;

/// <summary>
/// The server prints each payload once, for both files: the json.gz line is put together from the texts of the envelope and
/// the payload (EventLine). The Parquet payload must still be the payload as stored, byte for byte what
/// <c>payload::text</c> gives, with what was restored since in it, while the json.gz line keeps the payload as sent.
/// </summary>
public sealed class ArchivePayloadTests(PostgresServer postgres)
{
    [Fact]
    public async Task The_parquet_payload_is_the_stored_payload_as_text_and_the_json_line_the_event_as_sent()
    {
        await using var run = await ArchiveRun.CreateAsync(postgres, SchemaFlavor.Postgres);
        var hour = new ArchiveHour(ArchiveRun.HoursAgo(2));
        JsonObject?[] payloads =
        [
            null,
            new() { ["action"] = "opened", ["note"] = "é ✓ 😀 \"quoted\" back\\slash\ttab" },
            new() { ["payload"] = new JsonObject { ["payload"] = "nested, not the event's" }, ["list"] = new JsonArray(1, 2.5, null, "x") },
            new() { ["action"] = "closed", ["pull_request"] = new JsonObject { ["number"] = 7, ["title"] = "" } },
        ];
        await run.WriteAsync(Enumerable.Range(1, 1_200).Select(i => (
            (long)i, i % 2 == 0 ? "PullRequestEvent" : "PushEvent", hour.Start.AddSeconds(i), SourceBits.Archive, payloads[i % payloads.Length]?.DeepClone().AsObject())));
        // What a restoration does (RestorationStore): members fetched later added to the stored payload, their paths noted.
        await Sql.ExecuteAsync(run.Database.ConnectionString,
            """
            UPDATE events SET payload = jsonb_set(payload, '{pull_request}', coalesce(payload->'pull_request', '{}') || '{"additions": 12, "state": "merged"}'),
                              restored = ARRAY['pull_request.additions', 'pull_request.state']
            WHERE event_id % 10 = 3
            """);

        using var staged = await run.Exporter.StageAsync(hour, 1, TestContext.Current.CancellationToken);

        Assert.NotNull(staged);
        var stored = (await Sql.RowsAsync(run.Database.ConnectionString,
                $"SELECT event_id, payload::text FROM events WHERE time >= '{hour.Start:O}' AND time < '{hour.End:O}' ORDER BY event_id"))
            .Select(row => $"{row[0]} {row[1]}").Order(StringComparer.Ordinal).ToList();
        Assert.Equal(1_200, stored.Count);
        Assert.Contains(stored, payload => payload.Contains("\"additions\": 12", StringComparison.Ordinal));
        Assert.Equal(stored, await ArchiveFilesTests.DuckDbAsync($"SELECT id, payload FROM read_parquet('{staged.ParquetFile}')"));

        var asSent = await Sql.RowsAsync(run.Database.ConnectionString,
            $"SELECT event::text FROM v_raw_events WHERE time >= '{hour.Start:O}' AND time < '{hour.End:O}' ORDER BY time, event_id");
        Assert.Equal(asSent.Select(row => (string)row[0]!), ArchiveRun.JsonLines(staged.JsonFile));
        Assert.DoesNotContain(asSent, row => ((string)row[0]!).Contains("\"additions\"", StringComparison.Ordinal));
    }
}
