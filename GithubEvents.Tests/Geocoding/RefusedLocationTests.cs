using GithubEvents.Enrich.Geocoding;
using GithubEvents.Enrich.Profiles;
using GithubEvents.Tests.Profiles;

namespace GithubEvents.Tests.Geocoding;

/// <summary>A location Nominatim refuses is set aside with a back-off of its own; the other locations go on.</summary>
public sealed class RefusedLocationTests(PostgresServer server) : IAsyncLifetime
{
    private const string Refused = "Refused Place";

    private readonly FakeNominatim _nominatim = FakeNominatim.WithRecordedFixtures();

    private static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    public ValueTask InitializeAsync() => _nominatim.InitializeAsync();

    [Fact]
    public async Task A_refused_location_does_not_stop_the_place_filling_of_the_next_ones()
    {
        _nominatim.Refuse(Refused, FakeNominatim.ServerError());
        var arranged = await ProfileRun.ArrangeAsync(server);
        // The refused location is the most common, so the pass asks Nominatim about it first.
        var actors = new (long Id, string Login, string Location)[]
        {
            (81, "ada", Refused), (82, "bea", Refused), (83, "cal", "Portland Head Light"), (84, "dan", "Berlin, Germany"),
        };
        await ProfileRun.WriteEventsAsync(arranged.Database, actors.Select(actor => (actor.Id, actor.Login, 1.0)));
        await new ActorStore(arranged.Database.WriterDataSource).SaveAsync(
            actors.Select(actor => new ActorLookup(actor.Id, actor.Login, new GitHubProfile(actor.Id, actor.Login, ActorType.User, Location: actor.Location))).ToList(),
            DateTimeOffset.UtcNow, Cancellation);
        await using var run = await ProfileRun.StartAsync(arranged, places: true, settings: new Dictionary<string, string?>
        {
            ["Geocoding:NominatimUrl"] = _nominatim.BaseAddress.AbsoluteUri,
            ["Geocoding:UserAgent"] = "GithubEvents.Tests (github-events-tests@example.org)",
        });
        using var clock = new ClockPump(run.Time);

        await EnrichPipeline.EventuallyAsync(async () => await run.CountAsync("SELECT count(*) FROM events WHERE country_code IS NOT NULL") == 2,
            "the rows of the Nominatim and the gazetteer locations placed");

        Assert.Equal([["US", 83L], ["DE", 84L]], await run.RowsAsync("SELECT country_code, actor_id FROM events WHERE country_code IS NOT NULL ORDER BY actor_id"));
        Assert.Equal([["refused place", 1, "server_error"]], await run.RowsAsync("SELECT key, refusals, reason FROM location_refusals"));
        Assert.Equal(0L, await run.CountAsync("SELECT count(*) FROM locations WHERE key = 'refused place'"));
        Assert.Equal(["Refused Place", "Portland Head Light"], _nominatim.Requests.Select(request => Uri.UnescapeDataString(request.Query.Split('&')[0][3..])));
    }

    [Fact]
    public async Task A_refused_location_is_asked_again_after_its_back_off_and_stored_once_answered()
    {
        _nominatim.Refuse(Refused, FakeNominatim.BadRequest());
        await using var database = await EventDatabase.OpenAsync(await server.CreateDatabaseAsync());
        await using var replica = await GeocoderHost.StartAsync(database.ConnectionString, _nominatim.BaseAddress,
            settings: new Dictionary<string, string?> { ["Geocoding:LocationBackoffDelay"] = "00:00:05" });

        Assert.Null(await replica.Geocoder.ResolveAsync(Refused, Cancellation));
        // Within its back-off the location is not asked about, while others are.
        Assert.Null(await replica.Geocoder.ResolveAsync(Refused, Cancellation));
        Assert.Equal("US", (await replica.Geocoder.ResolveAsync("Portland Head Light", Cancellation))!.Place!.CountryCode);
        Assert.Equal(2, _nominatim.Requests.Count);

        _nominatim.Answer(Refused, NominatimAnswers.TsinghuaUniversity.Replace("Tsinghua University", Refused, StringComparison.Ordinal));
        GeocodeResult? answered = null;
        await EnrichPipeline.EventuallyAsync(async () => (answered = await replica.Geocoder.ResolveAsync(Refused, Cancellation)) is not null, "the answer after the back-off");

        Assert.Equal(new GeocodeResult("refused place", answered!.Place, Providers.Nominatim), answered);
        Assert.Equal("CN", answered.Place!.CountryCode);
        Assert.Equal(3, _nominatim.Requests.Count);
        Assert.Equal("nominatim", await Sql.ScalarAsync(database.ConnectionString, "SELECT provider FROM locations WHERE key = 'refused place'"));
    }

    [Fact]
    public async Task A_location_refused_too_often_ends_unresolvable_with_its_reason()
    {
        _nominatim.Refuse(Refused, FakeNominatim.BadRequest());
        await using var database = await EventDatabase.OpenAsync(await server.CreateDatabaseAsync());
        await using var replica = await GeocoderHost.StartAsync(database.ConnectionString, _nominatim.BaseAddress, settings: new Dictionary<string, string?>
        {
            ["Geocoding:LocationBackoffDelay"] = "00:00:01",
            ["Geocoding:MaxLocationRefusals"] = "2",
            ["Geocoding:RequestTimeout"] = "00:00:01",
        });

        Assert.Null(await replica.Geocoder.ResolveAsync(Refused, Cancellation));
        _nominatim.Refuse(Refused, FakeNominatim.Hangs(TimeSpan.FromSeconds(30)));
        GeocodeResult? answered = null;
        await EnrichPipeline.EventuallyAsync(async () => (answered = await replica.Geocoder.ResolveAsync(Refused, Cancellation)) is not null, "the second refusal");

        Assert.Equal(new GeocodeResult("refused place", null, Providers.Unresolvable), answered);
        Assert.Equal([["unresolvable", 2, "failed"]], await Sql.RowsAsync(database.ConnectionString,
            "SELECT l.provider, r.refusals, r.reason FROM locations l JOIN location_refusals r USING (key)"));
        // Answered for good: neither this replica nor another asks again.
        await using var other = await GeocoderHost.StartAsync(database.ConnectionString, _nominatim.BaseAddress);
        Assert.Equal(answered, await other.Geocoder.ResolveAsync(Refused, Cancellation));
        Assert.Equal(2, _nominatim.Requests.Count);
    }

    [Fact]
    public async Task A_failure_right_after_a_failure_is_Nominatims_and_sets_no_location_aside()
    {
        _nominatim.Fail("/search", new Fault(503, """{"error":"Service Unavailable"}"""), times: 2);
        await using var database = await EventDatabase.OpenAsync(await server.CreateDatabaseAsync());
        await using var replica = await GeocoderHost.StartAsync(database.ConnectionString, _nominatim.BaseAddress,
            settings: new Dictionary<string, string?> { ["Geocoding:BackoffDelay"] = "00:00:01" });

        Assert.Null(await replica.Geocoder.ResolveAsync("Madison Square Garden", Cancellation));
        Assert.Null(await replica.Geocoder.ResolveAsync("Portland Head Light", Cancellation));
        Assert.Equal("US", (await replica.Geocoder.ResolveAsync("Portland Head Light", Cancellation))!.Place!.CountryCode);

        // Only the first failure, after Nominatim had answered, is charged to its location.
        Assert.Equal([["madison square garden", 1, "server_error"]], await Sql.RowsAsync(database.ConnectionString, "SELECT key, refusals, reason FROM location_refusals"));
        Assert.Equal(3, _nominatim.Requests.Count);
    }

    public ValueTask DisposeAsync() => _nominatim.DisposeAsync();
}
