using System.Text;
using GithubEvents.Enrich.Storage;

namespace GithubEvents.Tests.Watch;

/// <summary>
/// The watched feeds through the whole pipeline: 20 watched repositories among 2,000 active ones on the fake GitHub,
/// whose public feed shows an independent random 30% of all events; Ingest's live and watch pollers on simulated time,
/// Enrich writing the database.
/// </summary>
public sealed class WatchedFeedsTests(PostgresServer postgres, KafkaMockCluster kafka, ITestOutputHelper output)
{
    private const int Repositories = 2_000;
    private const int Watched = 20;
    private const double PublicSample = 0.3;

    private static readonly DateTimeOffset Start = StepTimeProvider.DefaultStart;

    [Theory]
    [MemberData(nameof(StoragePaths.Both), MemberType = typeof(StoragePaths))]
    public async Task Every_event_of_the_watched_repositories_is_stored_once_and_their_live_coverage_is_the_public_feeds_sample(SchemaFlavor path)
    {
        await using var database = await EventDatabase.CreateAsync(postgres, path);
        var pipeline = EnrichPipeline.Create(kafka, database.ConnectionString);
        var activity = Activity(new Random(15));
        var watched = Enumerable.Range(0, Watched).Select(Repo).ToHashSet();
        var watchedEvents = activity.Where(e => watched.Contains(e.Repo)).ToList();
        var sampled = activity.Where(e => e.OnPublicFeed).ToList();
        var stored = activity.Where(e => e.OnPublicFeed || watched.Contains(e.Repo)).ToList();
        const double share = 0.1;

        IReadOnlyList<RecordedRequest> watchRequests;
        await using (await pipeline.StartAsync())
        {
            await using (var run = await WatchRun.StartAsync(kafka, github => github.Schedule(activity), new Dictionary<string, string?>
            {
                ["Kafka:Topics:Raw"] = pipeline.Topic,
                ["Kafka:Topics:Polls"] = pipeline.PollsTopic,
                ["GitHub:Watch:Repositories:0"] = string.Join(",", watched),
                ["GitHub:Watch:BudgetShare"] = share.ToString(System.Globalization.CultureInfo.InvariantCulture),
            }))
            {
                // The activity lasts 15 minutes; 10 more let the idlest feed's next poll come.
                try
                {
                    await run.RunAsync(TimeSpan.FromMinutes(25));
                }
                catch (TimeoutException)
                {
                    foreach (var entry in run.Logs.Entries.Where(e => e.Level >= Microsoft.Extensions.Logging.LogLevel.Information))
                    {
                        output.WriteLine(entry.ToString());
                    }

                    throw;
                }

                watchRequests = run.WatchRequests;
            }

            await EnrichPipeline.EventuallyAsync(async () => await pipeline.CountAsync() == stored.Count, "every event of the public sample and the watched feeds stored");
            await EnrichPipeline.EventuallyAsync(
                async () => await pipeline.CountAsync("SELECT coalesce(sum(requests), 0) FROM watch_polls") == watchRequests.Count, "the watch poller's figures stored");
        }

        // Every watched event once, with the watch's mark, and the live poller's where the public sample showed it.
        var watchedList = string.Join(",", watched.Select(r => $"'{r}'"));
        Assert.Equal([(long)watchedEvents.Count, watchedEvents.Count, watchedEvents.Count],
            (await Sql.RowsAsync(database.ConnectionString, $"SELECT count(*), count(DISTINCT event_id), count(*) FILTER (WHERE sources & 4 <> 0) FROM events WHERE repo IN ({watchedList})")).Single().Select(v => (long)v!));
        Assert.Equal(stored.Count, await pipeline.CountAsync("SELECT count(DISTINCT event_id) FROM events"));
        Assert.Equal(sampled.Count, await pipeline.CountAsync("SELECT count(*) FROM events WHERE sources & 1 <> 0"));
        Assert.Equal(0, await pipeline.CountAsync("SELECT count(*) FROM events WHERE sources & 4 <> 0 AND repo NOT IN (" + watchedList + ")"));

        // The view (from the watched feeds' aggregate, refreshed as Enrich's maintenance does): per repository exactly what
        // the public sample showed of it, and in total within 3 points of 30%.
        await database.RefreshAggregatesAsync();
        var perRepo = (await Sql.RowsAsync(database.ConnectionString, "SELECT repo, sum(watch_events)::bigint, sum(live_events)::bigint FROM v_watch_coverage_by_hour WHERE repo IS NOT NULL GROUP BY repo"))
            .ToDictionary(row => (string)row[0]!, row => ((long)row[1]!, (long)row[2]!));
        foreach (var repo in watched.Where(r => watchedEvents.Any(e => e.Repo == r)))
        {
            Assert.Equal((watchedEvents.LongCount(e => e.Repo == repo), watchedEvents.LongCount(e => e.Repo == repo && e.OnPublicFeed)), perRepo[repo]);
        }

        var total = (await Sql.RowsAsync(database.ConnectionString, "SELECT sum(watch_events)::bigint, sum(live_events)::bigint FROM v_watch_coverage_by_hour WHERE repo IS NULL")).Single();
        var coverage = (double)(long)total[1]! / (long)total[0]!;
        output.WriteLine($"{activity.Count} events, {watchedEvents.Count} watched, {sampled.Count} on the public feed; watched live coverage {coverage:P1}; {watchRequests.Count} watch requests, {watchRequests.Count(r => r.Status != 304)} costly");
        Assert.Equal(watchedEvents.Count, (long)total[0]!);
        Assert.InRange(coverage, PublicSample - 0.03, PublicSample + 0.03);

        // Within the share, and nothing missed; the idle repository cost its first answer and then only 304s.
        Assert.InRange(watchRequests.Count(r => r.Status != 304), 1, (int)(5000 * share));
        Assert.Equal(0, await pipeline.CountAsync("SELECT coalesce(sum(missed_polls), 0) FROM watch_polls"));
        var idle = watchRequests.Where(r => r.Path == $"/{WatchTargetFeed(Repo(0))}").ToList();
        Assert.True(idle.Count >= 3, $"the idle repository was polled {idle.Count} times");
        Assert.Equal([200, .. Enumerable.Repeat(304, idle.Count - 1)], idle.Select(r => r.Status));
    }

    private static string WatchTargetFeed(string repo) => $"repos/{repo}/events";

    private static string Repo(int i) => $"owner{i % 100}/repo{i}";

    // 15 minutes of activity: the first watched repository idle, two busy ones (400 events each), 17 with 60 each, and
    // 4,800 events among the 1,980 others; each event on the public feed with probability 0.3.
    private static List<ScheduledEvent> Activity(Random random)
    {
        var events = new List<(string Repo, double Second)>();
        void Add(string repo, int count)
        {
            for (var i = 0; i < count; i++)
            {
                events.Add((repo, random.NextDouble() * 900));
            }
        }

        Add(Repo(1), 400);
        Add(Repo(2), 400);
        for (var i = 3; i < Watched; i++)
        {
            Add(Repo(i), 60);
        }

        for (var i = 0; i < 4_800; i++)
        {
            Add(Repo(Watched + random.Next(Repositories - Watched)), 1);
        }

        // GitHub's ids grow with time.
        return events.OrderBy(e => e.Second).Select((e, i) =>
        {
            var at = Start.AddSeconds(e.Second);
            var json = Encoding.UTF8.GetString(TestEvents.Event(95_000_000_000L + i, "IssuesEvent", at.UtcDateTime, $"user{i % 700}", 20_000 + (i % 700), e.Repo));
            return new ScheduledEvent(at, e.Repo, null, json, random.NextDouble() < PublicSample);
        }).ToList();
    }
}
