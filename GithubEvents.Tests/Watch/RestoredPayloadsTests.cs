using System.Text;
using System.Text.Json.Nodes;
using GithubEvents.Enrich.Storage;

namespace GithubEvents.Tests.Watch;

/// <summary>
/// Trimmed payloads of a watched repository restored through the whole pipeline: Ingest's watch poller on simulated
/// time against the fake GitHub, Enrich (profiles and restorations on) writing the database and asking the fake's
/// GraphQL API for the commits and pull requests.
/// </summary>
public sealed class RestoredPayloadsTests(PostgresServer postgres, KafkaMockCluster kafka, ITestOutputHelper output)
{
    private const string Watched = "acme/widgets";
    private const string Unwatched = "other/thing";
    private const string ShaA = "1111111111111111111111111111111111111111";
    private const string ShaB = "2222222222222222222222222222222222222222";
    private const string ShaGone = "3333333333333333333333333333333333333333";

    // The original README's query, as written.
    private const string CommitMessages =
        """
        SELECT time, actor, event_type, payload->'commits'->0->>'message' AS commit_msg
        FROM events
        WHERE event_type = 'PushEvent'
        ORDER BY time DESC
        LIMIT 20;
        """;

    [Theory]
    [MemberData(nameof(StoragePaths.Both), MemberType = typeof(StoragePaths))]
    public async Task The_commit_msg_query_returns_the_restored_messages_of_a_watched_repositorys_live_pushes(SchemaFlavor path)
    {
        await using var database = await EventDatabase.CreateAsync(postgres, path);
        var pipeline = EnrichPipeline.Create(kafka, database.ConnectionString);
        // The events are minutes old, within Restoration:Window of the real clock Enrich runs on.
        var start = DateTimeOffset.FromUnixTimeSeconds(DateTimeOffset.UtcNow.AddMinutes(-20).ToUnixTimeSeconds());
        var activity = new List<ScheduledEvent>();
        void Add(string repo, string type, JsonObject payload, bool onPublicFeed = false)
        {
            var at = start.AddSeconds(10 * (activity.Count + 1));
            var json = Encoding.UTF8.GetString(TestEvents.Event(96_000_000_000L + activity.Count, type, at.UtcDateTime, "dev", 4242, repo, payload));
            activity.Add(new ScheduledEvent(at, repo, null, json, onPublicFeed));
        }

        Add(Watched, "PushEvent", TrimmedPush(ShaA));
        Add(Watched, "PushEvent", TrimmedPush(ShaB));
        Add(Watched, "PushEvent", TrimmedPush(ShaGone));
        Add(Watched, "PullRequestEvent", TrimmedPullRequest("opened", 7));
        Add(Watched, "PullRequestEvent", TrimmedPullRequest("closed", 99));
        Add(Watched, "PushEvent", TestEvents.FullPush("main", "As GitHub sent it"));
        Add(Unwatched, "PushEvent", TrimmedPush(ShaA), onPublicFeed: true);
        // Another branch pushed to the same commit: answered once for both.
        Add(Watched, "PushEvent", TrimmedPush(ShaB, "release"));

        var settings = new Dictionary<string, string?>
        {
            ["Profiles:Enabled"] = "true",
            ["Profiles:IdleInterval"] = "00:00:01",
            ["Restoration:IdleInterval"] = "00:00:01",
            ["Storage:Retention"] = "30.00:00:00",
        };
        await using (var run = await WatchRun.StartAsync(kafka, github =>
        {
            github.Schedule(activity);
            github.AddCommit(Watched, ShaA, "Fix the widget\n\nThe long story.", "Dev One", "dev@example.com");
            github.AddCommit(Watched, ShaB, "Add gears", "Dev Two", "two@example.com");
            github.AddCommit(Unwatched, ShaA, "Not watched, never asked for", "Someone", "someone@example.com");
            github.AddPullRequest(Watched, 7, "Widgets v2", "MERGED", additions: 120, deletions: 30, changedFiles: 4);
        }, new Dictionary<string, string?>
        {
            ["Kafka:Topics:Raw"] = pipeline.Topic,
            ["Kafka:Topics:Polls"] = pipeline.PollsTopic,
            ["GitHub:Watch:Repositories:0"] = Watched,
        }, start: start))
        {
            settings["GitHub:ApiUrl"] = run.GitHub.BaseAddress.ToString();
            settings["GitHub:Token"] = WatchRun.Token;
            await using (await pipeline.StartAsync(settings: settings))
            {
                // The feed's first poll finds it empty; the next come at the idle pace (X-Poll-Interval, a minute) and find the activity.
                await run.RunAsync(TimeSpan.FromMinutes(11));
                await EnrichPipeline.EventuallyAsync(async () => await pipeline.CountAsync() == activity.Count, "every event stored");
                await EnrichPipeline.EventuallyAsync(
                    async () => await pipeline.CountAsync("SELECT count(*) FROM events WHERE restored IS NOT NULL") == 6, "the six trimmed events of the watched repository restored or marked");
                // A few more idle passes: nothing is asked for twice.
                await Task.Delay(TimeSpan.FromSeconds(3), TestContext.Current.CancellationToken);
            }

            var asked = run.GitHub.Requests.Where(r => r.Path == "/graphql").SelectMany(FakeGitHub.GraphQLObjects).ToList();
            output.WriteLine(string.Join("\n", asked));
            Assert.Equal(
                new[] { $"{Watched} object {ShaA}", $"{Watched} object {ShaB}", $"{Watched} object {ShaGone}", $"{Watched} pullRequest 7", $"{Watched} pullRequest 99" }.Order(),
                asked.Order());
        }

        var messages = (await Sql.RowsAsync(database.ConnectionString, CommitMessages)).Select(row => (string?)row[3]).ToList();
        Assert.Equal(["Add gears", null, "As GitHub sent it", null, "Add gears", "Fix the widget\n\nThe long story."], messages);

        var rows = (await Sql.RowsAsync(database.ConnectionString,
                "SELECT event_id, array_to_string(restored, ','), detail FROM events WHERE repo = 'acme/widgets' ORDER BY time"))
            .Select(row => ((long)row[0]!, (string?)row[1], (string)row[2]!)).ToList();
        Assert.Equal(
        [
            (96_000_000_000L, "commits", "pushed to main: Fix the widget"),
            (96_000_000_001L, "commits", "pushed to main: Add gears"),
            (96_000_000_002L, "", "pushed to main"),
            (96_000_000_003L, "pull_request.additions,pull_request.changed_files,pull_request.deletions,pull_request.merged,pull_request.state,pull_request.title", "opened pull request #7: Widgets v2"),
            (96_000_000_004L, "", "closed pull request #99"),
            (96_000_000_005L, null, "pushed 1 commit to main"),
            (96_000_000_007L, "commits", "pushed to release: Add gears"),
        ], rows);
        Assert.Equal(
            ["Widgets v2", "closed", "true", "120", "30", "4"],
            (await Sql.RowsAsync(database.ConnectionString,
                "SELECT p->>'title', p->>'state', p->>'merged', p->>'additions', p->>'deletions', p->>'changed_files' FROM (SELECT payload->'pull_request' AS p FROM events WHERE event_id = 96000000003) AS pr"))
            .Single().Select(v => (string?)v));
        Assert.Equal(
            ["commit 3333333333333333333333333333333333333333", "pull_request 99"],
            (await Sql.RowsAsync(database.ConnectionString, "SELECT kind || ' ' || key FROM restored_objects WHERE value IS NULL ORDER BY 1")).Select(row => (string?)row[0]));

        // What GitHub sent stays exactly recoverable.
        foreach (var sent in activity)
        {
            var id = JsonNode.Parse(sent.Json)!["id"]!.GetValue<string>();
            Assert.True((bool)(await Sql.ScalarAsync(database.ConnectionString,
                $"SELECT event = '{sent.Json.Replace("'", "''", StringComparison.Ordinal)}'::jsonb FROM v_raw_events WHERE event_id = {id}"))!, $"event {id} as sent");
        }
    }

    private static JsonObject TrimmedPush(string head, string branch = "main") => new()
    {
        ["repository_id"] = 7,
        ["push_id"] = 31_000_000_000L + head[0],
        ["ref"] = $"refs/heads/{branch}",
        ["head"] = head,
        ["before"] = "0000000000000000000000000000000000000000",
    };

    private static JsonObject TrimmedPullRequest(string action, int number) => new()
    {
        ["action"] = action,
        ["number"] = number,
        ["pull_request"] = new JsonObject
        {
            ["url"] = $"https://api.github.com/repos/{Watched}/pulls/{number}",
            ["id"] = 2_900_000_000L + number,
            ["number"] = number,
            ["head"] = new JsonObject { ["ref"] = "feature", ["sha"] = ShaB },
            ["base"] = new JsonObject { ["ref"] = "main", ["sha"] = ShaA },
        },
    };
}
