using System.Text.Json;

namespace GithubEvents.Tests.Profiles;

/// <summary>The resolver against the fake GitHub: GraphQL batches, the REST fallback, budgets, unknown accounts and bots.</summary>
public sealed class ProfileResolverTests(PostgresServer postgres, ITestOutputHelper output)
{
    private static readonly string[] Places = ["Berlin, Germany", "San Francisco, CA", "Beijing", "Remote", "Paris", "Bangalore, India", "São Paulo"];

    [Fact]
    public async Task The_archive_sample_s_actors_are_looked_up_most_active_first_at_over_90_actors_per_request()
    {
        var arranged = await ProfileRun.ArrangeAsync(postgres);
        await ProfileRun.WriteArchiveSampleAsync(arranged.Database);
        var actors = ArchiveFixture.Lines
            .Select(line => JsonDocument.Parse(line).RootElement.GetProperty("actor"))
            .Select(actor => (Id: actor.GetProperty("id").GetInt64(), Login: actor.GetProperty("login").GetString()!))
            .GroupBy(actor => actor).Select(group => (group.Key.Id, group.Key.Login, Events: group.Count()))
            .ToList();
        var gone = actors.Where(a => !a.Login.EndsWith("[bot]", StringComparison.Ordinal)).Select(a => a.Login).Where((_, i) => i % 50 == 7).ToHashSet();
        foreach (var (actor, i) in actors.Select((actor, i) => (actor, i)).Where(a => !gone.Contains(a.actor.Login)))
        {
            arranged.GitHub.AddGeneratedUser(actor.Id, actor.Login, actor.Login.EndsWith("[bot]", StringComparison.Ordinal) ? "Bot" : "User",
                Places[i % Places.Length], company: i % 3 == 0 ? "@acme" : null, publicRepos: i);
        }

        await using var run = await ProfileRun.StartAsync(arranged, places: true);
        await EnrichPipeline.EventuallyAsync(async () => await run.CountAsync("SELECT count(*) FROM actors") == actors.Count, "every actor stored");

        var users = actors.Where(a => !a.Login.EndsWith("[bot]", StringComparison.Ordinal)).ToList();
        var requests = run.GraphQLRequests;
        var perRequest = users.Count / (double)requests.Count;
        output.WriteLine($"{users.Count} users (and {actors.Count - users.Count} bots, asked nothing) in {requests.Count} GraphQL requests: {perRequest:F1} actors per request");
        Assert.True(perRequest >= 90, $"{perRequest:F1} actors per request");
        Assert.Empty(run.RestRequests);
        Assert.All(requests, request => Assert.Equal($"Bearer {ProfileRun.Token}", request.Header("Authorization")));

        // Most active first: the first query asks for the hundred users with the most events.
        var mostActive = users.OrderByDescending(a => a.Events).ThenBy(a => a.Id).Take(100).Select(a => a.Login).ToHashSet();
        Assert.Equal(mostActive, FakeGitHub.GraphQLLogins(requests[0]).ToHashSet());
        Assert.DoesNotContain(requests.SelectMany(FakeGitHub.GraphQLLogins), login => login.EndsWith("[bot]", StringComparison.Ordinal));

        Assert.Equal(gone.Count, await run.CountAsync("SELECT count(*) FROM actors WHERE not_found"));
        Assert.Equal(actors.Count - users.Count, await run.CountAsync("SELECT count(*) FROM actors WHERE is_bot AND type = 'Bot'"));
        // Rows are filled after the profiles are stored: every event of a known user then carries its profile, and a bot's row says it is one.
        await EnrichPipeline.EventuallyAsync(async () => await run.CountAsync(
            """
            SELECT count(*) FROM events e JOIN actors a ON a.id = e.actor_id
            WHERE NOT a.not_found AND NOT a.is_bot AND (e.public_repos IS DISTINCT FROM a.public_repos OR e.location IS DISTINCT FROM a.location OR e.company IS DISTINCT FROM a.company)
            """) == 0, "every known user's rows filled");
        await EnrichPipeline.EventuallyAsync(async () => await run.CountAsync("SELECT count(*) FROM events WHERE actor LIKE '%[bot]' AND NOT is_bot") == 0, "every bot's rows flagged");
        Assert.True(await run.CountAsync("SELECT count(*) FROM events WHERE company = '@acme'") > 0);

        // Their places too, from the gazetteer: every place but "Remote" is one, and no bot has any.
        await EnrichPipeline.EventuallyAsync(async () => await run.CountAsync(
            "SELECT count(*) FROM events e JOIN actors a ON a.id = e.actor_id WHERE NOT a.not_found AND NOT a.is_bot AND a.location <> 'Remote' AND e.country_code IS NULL") == 0,
            "every located user's rows placed");
        Assert.Equal([["DE"]], await run.RowsAsync("SELECT DISTINCT country_code FROM events WHERE location = 'Berlin, Germany'"));
        Assert.Equal([["BR"]], await run.RowsAsync("SELECT DISTINCT country_code FROM events WHERE location = 'São Paulo'"));
        Assert.Equal(0, await run.CountAsync("SELECT count(*) FROM events WHERE (location = 'Remote' OR is_bot) AND country_code IS NOT NULL"));
        var coverage = await run.RowsAsync("SELECT period, events, round(profile_share::numeric, 4)::float8, round(country_share::numeric, 4)::float8 FROM v_enrichment_coverage");
        var expected = await run.RowsAsync(
            """
            SELECT '24h', count(*), round(avg(CASE WHEN NOT a.not_found THEN 1.0 ELSE 0 END), 4)::float8, round(avg(CASE WHEN e.country_code IS NOT NULL THEN 1.0 ELSE 0 END), 4)::float8
            FROM events e JOIN actors a ON a.id = e.actor_id
            """);
        output.WriteLine($"Coverage: {string.Join("; ", coverage.Select(row => string.Join(" ", row)))}");
        Assert.Equal(expected.Single(), coverage.Single(row => (string)row[0]! == "24h"));
        Assert.All(run.Logs.Entries, log => Assert.DoesNotContain(ProfileRun.Token, log.ToString()));
    }

    [Fact]
    public async Task Without_a_token_profiles_come_from_REST_and_an_unchanged_profile_costs_a_304()
    {
        var arranged = await ProfileRun.ArrangeAsync(postgres);
        await ProfileRun.WriteEventsAsync(arranged.Database, [(11, "ann", 1), (11, "ann", 2), (12, "ben", 3), (13, "cleo", 4)]);
        arranged.GitHub.AddGeneratedUser(11, "ann", location: "Lyon, France");
        arranged.GitHub.AddGeneratedUser(12, "ben", location: "Oslo");
        arranged.GitHub.AddGeneratedUser(13, "cleo", type: "Organization", location: "Kyiv");
        await using var run = await ProfileRun.StartAsync(arranged, token: false,
            new Dictionary<string, string?> { ["Profiles:TimeToLive"] = "01:00:00", ["Profiles:RestBudgetShare"] = "1" });

        await EnrichPipeline.EventuallyAsync(async () => await run.CountAsync("SELECT count(*) FROM actors WHERE etag IS NOT NULL") == 3, "three profiles stored");
        Assert.Empty(run.GraphQLRequests);
        Assert.Equal(["/users/ann", "/users/ben", "/users/cleo"], run.RestRequests.Select(r => r.Path));
        Assert.All(run.RestRequests, r => Assert.Null(r.Header("If-None-Match")));
        Assert.Equal([["ann", "User", "Lyon, France"], ["ben", "User", "Oslo"], ["cleo", "Organization", "Kyiv"]],
            await run.RowsAsync("SELECT login, type, location FROM actors ORDER BY login"));
        Assert.Equal(2, await run.CountAsync("SELECT count(*) FROM events WHERE location = 'Lyon, France'"));
        var etags = (await run.RowsAsync("SELECT login, etag FROM actors")).ToDictionary(r => (string)r[0]!, r => (string)r[1]!);

        // Ben moves; the others do not. Once the profiles are stale, each is asked with its ETag.
        arranged.GitHub.AddGeneratedUser(12, "ben", location: "Bergen");
        await run.Time.NextWaitAsync();
        run.Time.Advance(TimeSpan.FromHours(2));

        await EnrichPipeline.EventuallyAsync(async () => await run.CountAsync("SELECT count(*) FROM actors WHERE location = 'Bergen'") == 1, "Ben's new location stored");
        await EnrichPipeline.EventuallyAsync(() => Task.FromResult(run.RestRequests.Count == 6), "three more requests");
        var again = run.RestRequests.Skip(3).ToList();
        Assert.All(again, r => Assert.Equal(etags[r.Path["/users/".Length..]], r.Header("If-None-Match")));
        Assert.Equal(1, await run.CountAsync("SELECT count(*) FROM events WHERE location = 'Bergen'"));
        // The 304s cost nothing and still count as a fresh lookup.
        Assert.Equal(3, await run.CountAsync($"SELECT count(*) FROM actors WHERE fetched_at > '{run.Time.GetUtcNow().AddMinutes(-1):O}'"));
        Assert.Equal(1, await UsedSinceTheResetAsync(run));
    }

    [Fact]
    public async Task A_spent_budget_share_waits_until_the_reset()
    {
        var arranged = await ProfileRun.ArrangeAsync(postgres);
        await ProfileRun.WriteEventsAsync(arranged.Database, [(21, "dan", 1), (21, "dan", 2), (22, "eve", 3), (23, "fay", 4), (24, "gus", 5)]);
        foreach (var (id, login) in new[] { (21L, "dan"), (22L, "eve"), (23L, "fay"), (24L, "gus") })
        {
            arranged.GitHub.AddGeneratedUser(id, login);
        }

        // 90 % of 5,000 points may be spent: 501 left means one more query, then nothing until the reset.
        arranged.GitHub.SetRateLimitRemaining(501, ProfileRun.Token, FakeGitHub.GraphQL);
        var reset = arranged.Time.GetUtcNow().AddHours(1);
        await using var run = await ProfileRun.StartAsync(arranged, settings: new Dictionary<string, string?> { ["Profiles:BatchSize"] = "2" });

        var wait = await run.Time.NextWaitAsync();
        Assert.Single(run.GraphQLRequests);
        Assert.Equal(["dan", "eve"], FakeGitHub.GraphQLLogins(run.GraphQLRequests[0]));
        Assert.InRange(wait, reset - run.Time.GetUtcNow(), reset - run.Time.GetUtcNow() + TimeSpan.FromSeconds(2));
        Assert.Equal(2, await run.CountAsync("SELECT count(*) FROM actors"));

        run.Time.Advance(wait);
        await EnrichPipeline.EventuallyAsync(async () => await run.CountAsync("SELECT count(*) FROM actors") == 4, "the second batch after the reset");
        Assert.Equal(2, run.GraphQLRequests.Count);
        Assert.True(run.GraphQLRequests[1].At >= reset);
    }

    [Fact]
    public async Task Accounts_GitHub_does_not_know_are_marked_and_not_asked_about_again()
    {
        var arranged = await ProfileRun.ArrangeAsync(postgres);
        // "hal" was deleted; "ida"'s login now belongs to another account.
        await ProfileRun.WriteEventsAsync(arranged.Database, [(31, "hal", 1), (32, "ida", 2), (33, "jon", 3)]);
        arranged.GitHub.AddGeneratedUser(9032, "ida");
        arranged.GitHub.AddGeneratedUser(33, "jon");
        await using var run = await ProfileRun.StartAsync(arranged);

        await EnrichPipeline.EventuallyAsync(async () => await run.CountAsync("SELECT count(*) FROM actors") == 3, "three actors stored");
        Assert.Equal([["hal", true], ["ida", true], ["jon", false]], await run.RowsAsync("SELECT login, not_found FROM actors ORDER BY login"));
        Assert.Equal(0, await run.CountAsync("SELECT count(*) FROM events WHERE public_repos IS NOT NULL AND actor <> 'jon'"));

        // The next passes find nothing to ask.
        for (var pass = 0; pass < 3; pass++)
        {
            await run.Time.CompleteNextWaitAsync();
        }

        await run.Time.NextWaitAsync();
        Assert.Single(run.GraphQLRequests);
    }

    [Fact]
    public async Task Bots_are_flagged_and_never_geocoded()
    {
        var arranged = await ProfileRun.ArrangeAsync(postgres);
        await using var nominatim = new FakeNominatim();
        await nominatim.InitializeAsync();
        // Through REST, where GitHub tells a bot account by its type; and one by its login.
        await ProfileRun.WriteEventsAsync(arranged.Database, [(71, "robo", 1), (72, "una", 2), (73, "vic", 3), (74, "ci-helper[bot]", 4)]);
        arranged.GitHub.AddGeneratedUser(71, "robo", type: "Bot", location: "Atlantis Undersea Base 42");
        arranged.GitHub.AddGeneratedUser(72, "una", location: "Atlantis Undersea Base 43");
        arranged.GitHub.AddGeneratedUser(73, "vic", location: "Berlin, Germany");
        await using var run = await ProfileRun.StartAsync(arranged, token: false, places: true, settings: new Dictionary<string, string?>
        {
            ["Geocoding:NominatimUrl"] = nominatim.BaseAddress.ToString(),
            ["Geocoding:UserAgent"] = "GithubEvents.Tests (github-events-tests@example.org)",
        });

        await EnrichPipeline.EventuallyAsync(async () => await run.CountAsync("SELECT count(*) FROM events WHERE country_code = 'DE'") == 1, "vic placed offline");
        await EnrichPipeline.EventuallyAsync(() => Task.FromResult(nominatim.Requests.Count == 1), "una's location asked of Nominatim");
        Assert.Equal([["ci-helper[bot]", "Bot", true, null], ["robo", "Bot", true, null], ["una", "User", false, "atlantis undersea base 43"], ["vic", "User", false, "berlin, germany"]],
            await run.RowsAsync("SELECT login, type, is_bot, location_key FROM actors ORDER BY login"));
        Assert.Equal(["/users/robo", "/users/una", "/users/vic"], run.RestRequests.Select(r => r.Path).Order());
        Assert.Contains("atlantis undersea base 43", Uri.UnescapeDataString(nominatim.Requests.Single().Query.Replace('+', ' ')).ToLowerInvariant());
        Assert.Equal(0, await run.CountAsync("SELECT count(*) FROM locations WHERE key LIKE '%42'"));
        Assert.Equal([[true, "Atlantis Undersea Base 42"], [true, null]], await run.RowsAsync("SELECT is_bot, location FROM events WHERE actor IN ('robo', 'ci-helper[bot]') ORDER BY actor DESC"));
    }

    [Fact]
    public async Task A_user_REST_answers_404_for_is_marked_not_found()
    {
        var arranged = await ProfileRun.ArrangeAsync(postgres);
        await ProfileRun.WriteEventsAsync(arranged.Database, [(41, "kim", 1), (42, "lea", 2)]);
        arranged.GitHub.AddGeneratedUser(42, "lea");
        await using var run = await ProfileRun.StartAsync(arranged, token: false);

        await EnrichPipeline.EventuallyAsync(async () => await run.CountAsync("SELECT count(*) FROM actors") == 2, "two actors stored");
        Assert.Equal([["kim", true], ["lea", false]], await run.RowsAsync("SELECT login, not_found FROM actors ORDER BY login"));
        await run.Time.CompleteNextWaitAsync();
        await run.Time.NextWaitAsync();
        Assert.Equal(2, run.RestRequests.Count);
    }

    [Fact]
    public async Task GraphQL_that_fails_hands_the_batch_to_REST_and_a_refused_token_keeps_it_there()
    {
        var arranged = await ProfileRun.ArrangeAsync(postgres);
        await ProfileRun.WriteEventsAsync(arranged.Database, [(51, "max", 1), (51, "max", 1), (51, "max", 1), (52, "ned", 2), (52, "ned", 2), (53, "oli", 3)]);
        foreach (var (id, login) in new[] { (51L, "max"), (52L, "ned"), (53L, "oli") })
        {
            arranged.GitHub.AddGeneratedUser(id, login);
        }

        arranged.GitHub.Fail("/graphql", FakeGitHub.ServerError(502));
        arranged.GitHub.Fail("/graphql", new Fault(401, """{"message":"Bad credentials","documentation_url":"https://docs.github.com/graphql","status":"401"}"""));
        await using var run = await ProfileRun.StartAsync(arranged, settings: new Dictionary<string, string?> { ["Profiles:BatchSize"] = "1" });

        await EnrichPipeline.EventuallyAsync(async () => await run.CountAsync("SELECT count(*) FROM actors WHERE NOT not_found") == 3, "three profiles stored");
        // max: GraphQL 502, then REST; ned: GraphQL 401, then REST; oli: REST only.
        Assert.Equal(2, run.GraphQLRequests.Count);
        Assert.Equal(["/users/max", "/users/ned", "/users/oli"], run.RestRequests.Select(r => r.Path));
        Assert.Contains(run.Logs.Entries, log => log.Message.Contains("using REST from now on", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_secondary_rate_limit_waits_Retry_After_and_asks_again()
    {
        var arranged = await ProfileRun.ArrangeAsync(postgres);
        await ProfileRun.WriteEventsAsync(arranged.Database, [(61, "pia", 1)]);
        arranged.GitHub.AddGeneratedUser(61, "pia");
        arranged.GitHub.Fail("/graphql", FakeGitHub.SecondaryRateLimit(retryAfterSeconds: 45));
        await using var run = await ProfileRun.StartAsync(arranged);

        Assert.Equal(TimeSpan.FromSeconds(45), await run.Time.NextWaitAsync());
        Assert.Single(run.GraphQLRequests);
        Assert.Equal(0, await run.CountAsync("SELECT count(*) FROM actors"));

        run.Time.Advance(TimeSpan.FromSeconds(45));
        await EnrichPipeline.EventuallyAsync(async () => await run.CountAsync("SELECT count(*) FROM actors") == 1, "the profile after the wait");
        Assert.Equal(2, run.GraphQLRequests.Count);
    }

    [Fact]
    public async Task A_login_REST_keeps_refusing_is_left_for_the_next_pass_after_three_tries()
    {
        var arranged = await ProfileRun.ArrangeAsync(postgres);
        await ProfileRun.WriteEventsAsync(arranged.Database, [(81, "quin", 1), (81, "quin", 2), (82, "rey", 3)]);
        arranged.GitHub.AddGeneratedUser(81, "quin");
        arranged.GitHub.AddGeneratedUser(82, "rey");
        for (var i = 0; i < 3; i++)
        {
            arranged.GitHub.Fail("/users/quin", FakeGitHub.SecondaryRateLimit(retryAfterSeconds: 5));
        }

        await using var run = await ProfileRun.StartAsync(arranged, token: false);

        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(TimeSpan.FromSeconds(5), await run.Time.CompleteNextWaitAsync());
        }

        // After the third refusal the next actor's turn comes; quin is asked again in the next pass.
        await EnrichPipeline.EventuallyAsync(async () => await run.CountAsync("SELECT count(*) FROM actors WHERE login = 'rey'") == 1, "rey looked up");
        Assert.Equal(["/users/quin", "/users/quin", "/users/quin", "/users/rey"], run.RestRequests.Select(r => r.Path));
        await run.Time.CompleteNextWaitAsync();
        await EnrichPipeline.EventuallyAsync(async () => await run.CountAsync("SELECT count(*) FROM actors WHERE login = 'quin' AND NOT not_found") == 1, "quin looked up in the next pass");
        Assert.Contains(run.Logs.Entries, log => log.Message.Contains("3 times in a row", StringComparison.Ordinal));
    }

    // The anonymous core budget renewed during the two hours; what the resolver spent of it since, without this request.
    private static async Task<int> UsedSinceTheResetAsync(ProfileRun run)
    {
        using var client = run.GitHub.CreateClient();
        using var response = await client.GetAsync("users/ann", TestContext.Current.CancellationToken);
        return int.Parse(response.Headers.GetValues("X-RateLimit-Used").Single(), System.Globalization.CultureInfo.InvariantCulture) - 1;
    }
}
