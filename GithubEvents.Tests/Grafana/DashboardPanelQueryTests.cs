using GithubEvents.Enrich.Events;
using GithubEvents.Enrich.Storage;

namespace GithubEvents.Tests.Grafana;

/// <summary>
/// Every panel's SQL, expanded as Grafana expands it, run as the read-only role on both storage paths over the
/// recorded sample, against answers computed here from the sample itself.
/// </summary>
public sealed class DashboardPanelQueryTests(DashboardData data) : IClassFixture<DashboardData>
{
    private static readonly TimeSpan Minute = TimeSpan.FromMinutes(1);
    private static readonly TimeSpan FiveMinutes = TimeSpan.FromMinutes(5);
    private static readonly TimeSpan Hour = TimeSpan.FromHours(1);

    // The columns each table and stat panel shows, by name.
    private static readonly Dictionary<string, string[]> TableColumns = new()
    {
        ["Freshness"] = ["freshness"],
        ["Live share, last complete hour"] = ["live share"],
        ["Events in the last hour"] = ["events"],
        ["Enrichment coverage (last hour)"] = ["profiles", "countries"],
        ["Top countries (24 h)"] = ["country", "country_code", "events"],
        ["Top repositories (24 h)"] = ["repo", "events", "actors"],
        ["Most active actors (24 h)"] = ["actor", "country", "company", "events"],
        ["Recent events"] = ["time", "event_type", "actor", "repo", "detail", "country"],
        ["Watched repositories: live coverage"] = ["repository", "watched events", "also live", "live share"],
        ["Archive"] = ["hours archived", "newest hour", "events", "bytes", "revised hours", "held back", "location"],
    };

    private LiveDashboard Dashboard => data.Dashboard;

    public static TheoryData<SchemaFlavor, string> PathsAndPanels()
    {
        var rows = new TheoryData<SchemaFlavor, string>();
        foreach (var path in new[] { SchemaFlavor.Postgres, SchemaFlavor.TimescaleDb })
        {
            foreach (var panel in LiveDashboard.Load().Panels)
            {
                rows.Add(path, panel.Title);
            }
        }

        return rows;
    }

    [Theory]
    [MemberData(nameof(PathsAndPanels))]
    public async Task Every_panel_query_runs_as_the_reader_and_returns_the_columns_its_panel_expects(SchemaFlavor path, string title)
    {
        var database = await data.OnAsync(path);
        var panel = Dashboard.Panel(title);

        var result = await RunAsync(database, panel, Context(database, panel));

        Assert.NotEmpty(result.Rows);
        switch (panel.Type)
        {
            case "timeseries":
                Assert.Equal("time", result.Columns[0]);
                var times = result.Values("time").Select(Time).ToList();
                Assert.Equal(times.Order(), times);
                var values = result.Columns.Skip(1).Where(column => column != "metric").ToList();
                Assert.NotEmpty(values);
                Assert.All(values, column => Assert.All(result.Values(column), IsNumber));
                break;
            case "geomap":
                var layer = panel.Json["options"]!["layers"]![0]!;
                Assert.All(result.Values((string)layer["location"]!["lookup"]!), code => Assert.Matches("^[A-Z]{2}$", (string)code!));
                Assert.All(result.Values((string)layer["config"]!["style"]!["size"]!["field"]!), IsNumber);
                Assert.All(result.Values((string)layer["config"]!["style"]!["color"]!["field"]!), IsNumber);
                break;
            default:
                Assert.Equal(TableColumns[title], result.Columns);
                if (panel.Type == "stat")
                {
                    Assert.All(result.Rows.SelectMany(row => row), IsNumber);
                }

                break;
        }
    }

    [Theory]
    [MemberData(nameof(StoragePaths.Both), MemberType = typeof(StoragePaths))]
    public async Task The_event_type_variable_lists_the_types_of_the_range(SchemaFlavor path)
    {
        var database = await data.OnAsync(path);
        var variable = Dashboard.Variable("event_type");
        var context = Context(database, range: Dashboard.DefaultRange());

        var result = await database.QueryAsync(GrafanaMacros.Expand(variable.Query, context));

        var expected = database.Events.Where(e => Within(Floor(e.Time, FiveMinutes), context)).Select(e => e.Type).Distinct().Order(StringComparer.Ordinal);
        Assert.Equal(expected, result.Rows.Select(row => (string)row[0]!));
    }

    [Theory]
    [MemberData(nameof(StoragePaths.Both), MemberType = typeof(StoragePaths))]
    public async Task Events_per_minute_come_from_the_minute_aggregate_for_narrow_buckets_and_from_the_5_minute_one_for_wide_ones(SchemaFlavor path)
    {
        var database = await data.OnAsync(path);
        var panel = Dashboard.Panel("Events per minute by type");
        string[] pushesAndStars = ["PushEvent", "WatchEvent"];

        // The sample comes in bursts of a few seconds, an hour apart. A range that starts at the last second of the burst
        // before the newest takes part of it: each aggregate counts the whole buckets that start in the range.
        var intoBurst = database.Now - database.Events.Where(e => e.Time < database.Now - 90 * Minute).Max(e => e.Time);
        foreach (var (range, interval) in new[] { (Hour, Minute), (intoBurst, Minute), (intoBurst, 2 * Minute), (intoBurst, FiveMinutes), (TimeSpan.FromHours(24), TimeSpan.FromMinutes(15)) })
        {
            foreach (var types in new[] { null, pushesAndStars })
            {
                var context = Context(database, panel, range: range, interval: interval, eventTypes: types);

                var result = await RunAsync(database, panel, context);

                // A 1-minute bucket is the minute aggregate's row, buckets under 5 minutes sum whole 1-minute buckets, wider ones
                // sum whole 5-minute buckets.
                var expected = database.Events
                    .Where(e => types is null || types.Contains(e.Type))
                    .Where(e => Within(Floor(e.Time, interval < FiveMinutes ? Minute : FiveMinutes), context))
                    .GroupBy(e => (Time: Floor(e.Time, interval), e.Type))
                    .OrderBy(group => group.Key.Time).ThenBy(group => group.Key.Type, StringComparer.Ordinal)
                    .Select(group => (group.Key.Time, group.Key.Type, Math.Round(group.Count() * (decimal)Minute.Ticks / interval.Ticks, 12)));
                // Sorted by time only, as Grafana needs: the types within a bucket come in any order.
                var rows = result.Rows.Select(row => (Time: Time(row[0]), Type: (string)row[1]!, Math.Round(Convert.ToDecimal(row[2]), 12))).ToList();
                Assert.Equal(rows.Select(row => row.Time).Order(), rows.Select(row => row.Time));
                Assert.Equal(expected, rows.OrderBy(row => row.Time).ThenBy(row => row.Type, StringComparer.Ordinal));
                Assert.NotEmpty(result.Rows);
            }
        }
    }

    [Theory]
    [MemberData(nameof(StoragePaths.Both), MemberType = typeof(StoragePaths))]
    public async Task The_map_and_top_countries_sum_the_events_of_each_country(SchemaFlavor path)
    {
        var database = await data.OnAsync(path);

        var map = Dashboard.Panel("Events by country");
        var mapContext = Context(database, map);
        var mapResult = await RunAsync(database, map, mapContext);
        var expectedMap = database.Events
            .Where(e => e.CountryCode is not null && Within(Floor(e.Time, FiveMinutes), mapContext))
            .GroupBy(e => e.CountryCode!)
            .ToDictionary(group => group.Key, group => (Country: group.First().Country, Events: (decimal)group.Count()));
        Assert.Equal(expectedMap.Count, mapResult.Rows.Count);
        Assert.All(mapResult.Rows, row => Assert.Equal(expectedMap[(string)row[mapResult.Index("country_code")]!],
            ((string?)row[mapResult.Index("country")], Convert.ToDecimal(row[mapResult.Index("events")]))));
        Assert.Equal(mapResult.Values("events").Select(Convert.ToDecimal).OrderDescending(), mapResult.Values("events").Select(Convert.ToDecimal));

        var top = Dashboard.Panel("Top countries (24 h)");
        var topContext = Context(database, top);
        var expectedTop = database.Events
            .Where(e => e.Country is not null && Within(Floor(e.Time, FiveMinutes), topContext))
            .GroupBy(e => (e.Country, e.CountryCode))
            .Select(group => (group.Key.Country, group.Key.CountryCode, Events: (decimal)group.Count()))
            .OrderByDescending(row => row.Events).ThenBy(row => row.Country, StringComparer.Ordinal)
            .Take(10);
        Assert.Equal(expectedTop, (await RunAsync(database, top, topContext)).Rows.Select(row => ((string?)row[0], (string?)row[1], Convert.ToDecimal(row[2]))));
    }

    [Theory]
    [MemberData(nameof(StoragePaths.Both), MemberType = typeof(StoragePaths))]
    public async Task Top_repositories_count_events_and_distinct_actors_over_24_hours_whatever_the_event_type(SchemaFlavor path)
    {
        var database = await data.OnAsync(path);
        var panel = Dashboard.Panel("Top repositories (24 h)");

        foreach (var includeBots in new[] { false, true })
        {
            // The ranking is made ahead for all types: the event-type choice does not apply.
            foreach (var types in new[] { null, new[] { "PushEvent" } })
            {
                var context = Context(database, panel, eventTypes: types, includeBots: includeBots);

                var result = await RunAsync(database, panel, context);

                var expected = database.Events
                    .Where(e => e.Repo is not null && Within(Floor(e.Time, Hour), context) && (includeBots || !e.IsBot))
                    .GroupBy(e => e.Repo!)
                    .Select(group => (Repo: group.Key, Events: (long)group.Count(), Actors: (long)group.Select(e => e.ActorId).Distinct().Count()))
                    .OrderByDescending(row => row.Events).ThenBy(row => row.Repo, StringComparer.Ordinal)
                    .Take(10);
                Assert.Equal(expected, result.Rows.Select(row => ((string)row[0]!, (long)row[1]!, (long)row[2]!)));
            }
        }
    }

    [Theory]
    [MemberData(nameof(StoragePaths.Both), MemberType = typeof(StoragePaths))]
    public async Task Most_active_actors_come_from_the_ranking_of_the_hourly_aggregate_without_bots_unless_asked(SchemaFlavor path)
    {
        var database = await data.OnAsync(path);
        var panel = Dashboard.Panel("Most active actors (24 h)");

        foreach (var includeBots in new[] { false, true })
        {
            var context = Context(database, panel, includeBots: includeBots);

            var result = await RunAsync(database, panel, context);

            var expected = database.Events
                .Where(e => Within(Floor(e.Time, Hour), context) && (includeBots || !e.IsBot))
                .GroupBy(e => (e.ActorId, e.Actor))
                .Select(group => (group.Key.Actor, group.First().Country, group.First().Company, Events: (decimal)group.Count()))
                .OrderByDescending(row => row.Events).ThenBy(row => row.Actor, StringComparer.Ordinal)
                .Take(10)
                .ToList();
            Assert.Equal(expected, result.Rows.Select(row => ((string)row[0]!, (string?)row[1], (string?)row[2], Convert.ToDecimal(row[3]))));
            // The sample's busiest accounts include bots: the choice shows.
            Assert.Equal(includeBots, expected.Any(row => row.Actor.EndsWith("[bot]", StringComparison.Ordinal)));
        }
    }

    [Theory]
    [MemberData(nameof(StoragePaths.Both), MemberType = typeof(StoragePaths))]
    public async Task Recent_events_are_the_newest_of_the_range_with_their_detail_and_country(SchemaFlavor path)
    {
        var database = await data.OnAsync(path);
        var panel = Dashboard.Panel("Recent events");

        foreach (var (types, includeBots) in new (string[]? Types, bool IncludeBots)[] { (null, false), (["PushEvent", "CreateEvent"], true) })
        {
            var context = Context(database, panel, eventTypes: types, includeBots: includeBots);

            var result = await RunAsync(database, panel, context);

            var expected = database.Events
                .Where(e => Within(e.Time, context) && (includeBots || !e.IsBot) && (types is null || types.Contains(e.Type)))
                .OrderByDescending(e => e.Time).ThenByDescending(e => e.EventId)
                .Take(100)
                .Select(e => new object?[] { e.Time, e.Type, e.Actor, e.Repo, e.Detail, e.Country });
            Assert.Equal(expected, result.Rows);
        }
    }

    [Theory]
    [MemberData(nameof(StoragePaths.Both), MemberType = typeof(StoragePaths))]
    public async Task Freshness_is_the_age_of_the_newest_event_and_the_hour_counts_its_events(SchemaFlavor path)
    {
        var database = await data.OnAsync(path);

        var freshness = await RunAsync(database, Dashboard.Panel("Freshness"), Context(database, Dashboard.Panel("Freshness")));
        var newest = database.Events.Max(e => e.Time);
        Assert.Equal((decimal)(freshness.DatabaseNow - newest).Ticks / TimeSpan.TicksPerSecond, Convert.ToDecimal(freshness.Rows.Single().Single()));

        var lastHour = Dashboard.Panel("Events in the last hour");
        var context = Context(database, lastHour);
        Assert.Equal(Hour, context.To - context.From);
        var count = await RunAsync(database, lastHour, context);
        Assert.Equal((long)database.Events.Count(e => Within(Floor(e.Time, Minute), context)), count.Rows.Single().Single());
    }

    // v_enrichment_coverage (0005_profiles.sql, from event_stats_1m since 0008_dashboard_rankings.sql).
    [Theory]
    [MemberData(nameof(StoragePaths.Both), MemberType = typeof(StoragePaths))]
    public async Task Enrichment_coverage_shows_the_share_of_the_last_hours_events_with_a_country(SchemaFlavor path)
    {
        var database = await data.OnAsync(path);
        var panel = Dashboard.Panel("Enrichment coverage (last hour)");

        var result = await RunAsync(database, panel, Context(database, panel));

        // Whole minutes of the last hour, from the minute aggregate.
        var lastHour = database.Events.Where(e => Floor(e.Time, Minute) > result.DatabaseNow - Hour && e.Time <= result.DatabaseNow).ToList();
        var row = result.Rows.Single();
        Assert.InRange(Convert.ToDouble(row[result.Index("profiles")]), 0, 1);
        Assert.Equal((double)lastHour.Count(e => e.Country is not null) / lastHour.Count, Convert.ToDouble(row[result.Index("countries")]), 1e-9);
    }

    // v_capture_by_hour (0011_capture_by_hour.sql): Chapman's estimate from the sample's sources, and the poller's figures.
    [Theory]
    [MemberData(nameof(StoragePaths.Both), MemberType = typeof(StoragePaths))]
    public async Task The_completeness_row_shows_each_hour_s_live_share_of_Chapman_s_estimate_and_the_poller_s_figures(SchemaFlavor path)
    {
        var database = await data.OnAsync(path);
        var hours = database.Events.GroupBy(e => Floor(e.Time, Hour)).OrderBy(hour => hour.Key).Select(hour =>
        {
            var (live, archive) = (hour.Count(e => (e.Sources & SourceBits.Live) != 0), hour.Count(e => (e.Sources & SourceBits.Archive) != 0));
            var both = hour.Count(e => (e.Sources & (SourceBits.Live | SourceBits.Archive)) == (SourceBits.Live | SourceBits.Archive));
            var n = ((live + 1.0) * (archive + 1.0) / (both + 1.0)) - 1;
            var margin = 1.96 * Math.Sqrt((live + 1.0) * (archive + 1.0) * (live - both) * (archive - both) / ((both + 1.0) * (both + 1.0) * (both + 2.0)));
            var low = Math.Max(n - margin, live + archive - both);
            return (Hour: hour.Key, LiveShare: live / n, Low: live / (n + margin), High: live / low);
        }).ToList();

        var shares = Dashboard.Panel("Live share per hour (estimate and 95% interval)");
        var result = await RunAsync(database, shares, Context(database, shares));
        Assert.Equal(hours.Select(hour => hour.Hour), result.Values("time").Select(Time));
        Assert.Equal(hours.Select(hour => hour.LiveShare), result.Values("live share").Select(value => Convert.ToDouble(value)), (a, b) => Math.Abs(a - b) < 1e-9);
        Assert.Equal(hours.Select(hour => hour.Low), result.Values("95% low").Select(value => Convert.ToDouble(value)), (a, b) => Math.Abs(a - b) < 1e-9);
        Assert.Equal(hours.Select(hour => hour.High), result.Values("95% high").Select(value => Convert.ToDouble(value)), (a, b) => Math.Abs(a - b) < 1e-9);

        var lastComplete = Dashboard.Panel("Live share, last complete hour");
        var stat = await RunAsync(database, lastComplete, Context(database, lastComplete));
        Assert.Equal(hours.Last(hour => hour.Hour <= stat.DatabaseNow - Hour).LiveShare, Convert.ToDouble(stat.Rows.Single().Single()), 1e-9);

        // The poller's 120 minutes, by the hour of the poll.
        var minute = Floor(database.Now, Minute);
        var polled = Enumerable.Range(0, 120).GroupBy(i => Floor(minute.AddMinutes(-i), Hour)).OrderBy(hour => hour.Key).ToList();
        var perRequest = await RunAsync(database, Dashboard.Panel("Events per feed request"), Context(database, Dashboard.Panel("Events per feed request")));
        Assert.Equal(polled.Select(hour => hour.Key), perRequest.Values("time").Select(Time));
        Assert.Equal(
            polled.Select(hour => hour.Sum(i => DashboardDatabase.Polled(i).NewEvents) / (double)hour.Sum(i => DashboardDatabase.Polled(i).Requests)),
            perRequest.Values("new events per request").Select(value => Convert.ToDouble(value)), (a, b) => Math.Abs(a - b) < 1e-9);
        Assert.All(perRequest.Values("events per 200"), value => Assert.Equal(100.0, Convert.ToDouble(value), 1e-9));
        var missed = await RunAsync(database, Dashboard.Panel("Polls that missed events"), Context(database, Dashboard.Panel("Polls that missed events")));
        Assert.Equal(polled.Select(hour => (long)hour.Count(i => i % 10 == 0)), missed.Values("polls that missed events").Select(value => Convert.ToInt64(value)));
        Assert.Equal(polled.Select(hour => (long)hour.Count(i => i % 10 != 0) * 3 + (long)hour.Count(i => i % 10 == 0) * 2), missed.Values("other polls").Select(value => Convert.ToInt64(value)));

        // The Kafka gap, in every hour from the message before it to the one after it.
        var gap = DashboardDatabase.Gap(database.Now);
        var gapHours = Enumerable.Range(0, 5).Select(i => Floor(gap.Before!.Value, Hour).AddHours(i)).Where(hour => hour <= gap.After).ToList();
        var gaps = await RunAsync(database, Dashboard.Panel("Kafka gaps: messages deleted unread"), Context(database, Dashboard.Panel("Kafka gaps: messages deleted unread")));
        Assert.Equal(gapHours, gaps.Values("time").Select(Time));
        Assert.All(gaps.Values("messages deleted unread"), value => Assert.Equal(gap.Lost, Convert.ToInt64(value)));
    }

    [Theory]
    [MemberData(nameof(StoragePaths.Both), MemberType = typeof(StoragePaths))]
    public async Task The_watched_repositories_coverage_and_the_repository_filter_count_what_the_watched_feeds_and_the_live_poller_delivered(SchemaFlavor path)
    {
        var database = await data.OnAsync(path);
        var watchedEvents = database.Events.Where(e => (e.Sources & SourceBits.Watch) != 0).ToList();
        var repos = watchedEvents.Select(e => e.Repo!).Distinct().Order(StringComparer.Ordinal).ToList();
        var variable = Dashboard.Variable("watched_repo");
        Assert.Equal(repos, (await database.QueryAsync(GrafanaMacros.Expand(variable.Query, Context(database, range: TimeSpan.FromHours(24))))).Values("repo").Cast<string>());

        var panel = Dashboard.Panel("Watched repositories: live coverage");
        var all = await RunAsync(database, panel, Context(database, panel));
        (long Watched, long Live) Counts(IEnumerable<StoredEvent> events) =>
            (events.LongCount(), events.LongCount(e => (e.Sources & SourceBits.Live) != 0));
        Assert.Equal(
            new[] { ("all watched repositories", Counts(watchedEvents)) }.Concat(repos.Select(repo => (repo, Counts(watchedEvents.Where(e => e.Repo == repo))))
                .OrderByDescending(r => r.Item2.Item1).ThenBy(r => r.repo, StringComparer.Ordinal)),
            all.Rows.Select(row => ((string)row[0]!, (Convert.ToInt64(row[1]), Convert.ToInt64(row[2])))));
        var total = all.Rows[0];
        Assert.Equal(Convert.ToDouble(total[2]) / Convert.ToDouble(total[1]), Convert.ToDouble(total[3]), 1e-9);

        var chosen = repos.Take(2).ToArray();
        var some = await RunAsync(database, panel, Context(database, panel, watchedRepos: chosen));
        Assert.Equal(Counts(watchedEvents.Where(e => chosen.Contains(e.Repo))), (Convert.ToInt64(some.Rows[0][1]), Convert.ToInt64(some.Rows[0][2])));
        var recent = Dashboard.Panel("Recent events");
        var filtered = await RunAsync(database, recent, Context(database, recent, range: TimeSpan.FromHours(24), watchedRepos: chosen));
        Assert.NotEmpty(filtered.Rows);
        Assert.All(filtered.Values("repo"), repo => Assert.Contains((string)repo!, chosen));

        var perHour = await RunAsync(database, Dashboard.Panel("Watched repositories: live share per hour"), Context(database, Dashboard.Panel("Watched repositories: live share per hour")));
        var hours = watchedEvents.GroupBy(e => Floor(e.Time, Hour)).OrderBy(hour => hour.Key).ToList();
        Assert.Equal(hours.Select(hour => hour.Key), perHour.Values("time").Select(Time));
        Assert.Equal(hours.Select(hour => hour.Count(e => (e.Sources & SourceBits.Live) != 0) / (double)hour.Count()),
            perHour.Values("live share of watched events").Select(Convert.ToDouble), (a, b) => Math.Abs(a - b) < 1e-9);
    }

    private static Task<PanelResult> RunAsync(DashboardDatabase database, DashboardPanel panel, QueryContext context) =>
        database.QueryAsync(GrafanaMacros.Expand(panel.Target.RawSql, context));

    /// <summary>
    /// What Grafana sends for a panel: the dashboard's range (or the panel's own relative time) ending now, the
    /// interval (at least the panel's minimum; what Grafana derives from the panel's width otherwise), the variables
    /// as chosen (All event types and no bots, as the dashboard opens), and the datasource's TimescaleDB flag, which
    /// is on where the database has the extension.
    /// </summary>
    private QueryContext Context(DashboardDatabase database, DashboardPanel? panel = null, TimeSpan? range = null, TimeSpan? interval = null,
        string[]? eventTypes = null, bool includeBots = false, string[]? watchedRepos = null)
    {
        range ??= panel?.TimeFrom is { } timeFrom ? GrafanaMacros.ParseInterval(timeFrom) : Dashboard.DefaultRange();
        interval ??= GrafanaMacros.ParseInterval(panel?.MinInterval ?? "1m");
        var eventType = Dashboard.Variable("event_type");
        var bots = Dashboard.Variable("include_bots");
        var watched = Dashboard.Variable("watched_repo");
        var variables = new Dictionary<string, VariableSelection>
        {
            [eventType.Name] = new(eventTypes ?? [], eventType.Multi, eventType.IncludeAll, eventType.AllValue, IsAll: eventTypes is null),
            [bots.Name] = new([includeBots ? "true" : "false"], bots.Multi, bots.IncludeAll, bots.AllValue),
            [watched.Name] = new(watchedRepos ?? [], watched.Multi, watched.IncludeAll, watched.AllValue, IsAll: watchedRepos is null),
        };
        return new QueryContext(database.Now - range.Value, database.Now, interval.Value, database.Path == SchemaFlavor.TimescaleDb, variables);
    }

    // $__timeFilter is BETWEEN: both ends included.
    private static bool Within(DateTime time, QueryContext context) => time >= context.From && time <= context.To;

    private static DateTime Floor(DateTime time, TimeSpan width) => new(time.Ticks - time.Ticks % width.Ticks, DateTimeKind.Utc);

    // $__timeGroup gives epoch seconds on plain PostgreSQL and a timestamp from time_bucket on TimescaleDB.
    private static DateTime Time(object? value) => value switch
    {
        DateTime time => time,
        decimal seconds => DateTime.UnixEpoch.AddTicks((long)(seconds * TimeSpan.TicksPerSecond)),
        double seconds => DateTime.UnixEpoch.AddTicks((long)(seconds * TimeSpan.TicksPerSecond)),
        _ => throw new Xunit.Sdk.XunitException($"'{value}' ({value?.GetType().Name}) is no time."),
    };

    private static void IsNumber(object? value) =>
        Assert.True(value is short or int or long or decimal or double or float, $"'{value}' ({value?.GetType().Name}) is no number");
}
