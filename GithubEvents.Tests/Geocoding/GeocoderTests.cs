using GithubEvents.Enrich.Geocoding;
using GithubEvents.Enrich.Storage;
using Microsoft.Extensions.Options;

namespace GithubEvents.Tests.Geocoding;

public sealed class GeocoderTests(PostgresServer server) : IAsyncLifetime
{
    private readonly FakeNominatim _nominatim = FakeNominatim.WithRecordedFixtures();
    private EventDatabase _database = null!;

    private static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        await _nominatim.InitializeAsync();
        _database = await EventDatabase.OpenAsync(await server.CreateDatabaseAsync());
    }

    [Fact]
    public async Task A_gazetteer_string_is_answered_and_stored_without_a_request()
    {
        await using var replica = await GeocoderHost.StartAsync(_database.ConnectionString, _nominatim.BaseAddress);

        var result = await replica.Geocoder.ResolveAsync("Berlin, Germany", Cancellation);

        Assert.Equal(new GeocodeResult("berlin, germany", result!.Place, Providers.Gazetteer), result);
        Assert.Equal(("Germany", "DE"), (result.Place!.Country, result.Place.CountryCode));
        Assert.Equal("DE gazetteer", await Sql.ScalarAsync(_database.ConnectionString,
            "SELECT country_code || ' ' || provider FROM locations WHERE key = 'berlin, germany'"));
        Assert.Empty(_nominatim.Requests);
    }

    [Fact]
    public async Task No_location_strings_are_negative_answers_without_a_request()
    {
        await using var replica = await GeocoderHost.StartAsync(_database.ConnectionString, _nominatim.BaseAddress);

        foreach (var location in new[] { "Remote", "localhost", "https://example.com", "🌍" })
        {
            var result = await replica.Geocoder.ResolveAsync(location, Cancellation);
            Assert.Null(result!.Place);
            Assert.Equal(Providers.Gazetteer, result.Provider);
        }

        Assert.Equal(3L, await Sql.ScalarAsync(_database.ConnectionString, "SELECT count(*) FROM locations WHERE country_code IS NULL"));
        Assert.Empty(_nominatim.Requests);
    }

    [Fact]
    public async Task Nominatim_is_asked_as_documented_and_a_cached_string_causes_no_request()
    {
        await using (var replica = await GeocoderHost.StartAsync(_database.ConnectionString, _nominatim.BaseAddress))
        {
            var first = await replica.Geocoder.ResolveAsync("Portland Head Light", Cancellation);
            var again = await replica.Geocoder.ResolveAsync("  portland head   LIGHT ", Cancellation);

            Assert.Equal(new Place("United States", "US", 43.6231093, -70.2078663), first!.Place);
            Assert.Equal((Providers.Nominatim, first), (first.Provider, again));
        }

        // Another replica, or this one after a restart: the table answers.
        await using var other = await GeocoderHost.StartAsync(_database.ConnectionString, _nominatim.BaseAddress);
        Assert.Equal("US", (await other.Geocoder.TryResolveOfflineAsync("Portland Head Light", Cancellation))!.Place!.CountryCode);

        var request = Assert.Single(_nominatim.Requests);
        Assert.Equal("/search", request.Path);
        Assert.Equal("?q=Portland%20Head%20Light&format=jsonv2&addressdetails=1&limit=1", request.Query);
        Assert.Equal("GithubEvents.Tests (github-events-tests@example.org)", request.Header("User-Agent"));
    }

    [Fact]
    public async Task An_empty_answer_is_cached_as_a_negative_one()
    {
        await using var replica = await GeocoderHost.StartAsync(_database.ConnectionString, _nominatim.BaseAddress);

        var result = await replica.Geocoder.ResolveAsync("Flat 3, Nowhere Lane", Cancellation);

        Assert.Equal(new GeocodeResult("flat 3, nowhere lane", null, Providers.Nominatim), result);
        Assert.Equal("nominatim", await Sql.ScalarAsync(_database.ConnectionString,
            "SELECT provider FROM locations WHERE key = 'flat 3, nowhere lane' AND country_code IS NULL"));
        Assert.Equal(result, await replica.Geocoder.TryResolveOfflineAsync("Flat 3, Nowhere Lane", Cancellation));
        Assert.Single(_nominatim.Requests);
    }

    [Fact]
    public async Task A_long_institution_name_does_not_land_on_a_village_but_a_matching_one_is_kept()
    {
        _nominatim.Answer("Southern University of Science and Technology", NominatimAnswers.KenyanVillage);
        _nominatim.Answer("Tsinghua University", NominatimAnswers.TsinghuaUniversity);
        await using var replica = await GeocoderHost.StartAsync(_database.ConnectionString, _nominatim.BaseAddress,
            settings: new Dictionary<string, string?> { ["Geocoding:RequestInterval"] = "00:00:01" });

        var southern = await replica.Geocoder.ResolveAsync("Southern University of Science and Technology", Cancellation);
        var tsinghua = await replica.Geocoder.ResolveAsync("Tsinghua University", Cancellation);

        Assert.Null(southern!.Place);
        Assert.Equal(Providers.Nominatim, southern.Provider);
        Assert.Equal(new Place("China", "CN", 40.0, 116.3264), tsinghua!.Place);
    }

    [Fact]
    public async Task Refusals_pause_every_replica_doubling_and_honouring_Retry_After()
    {
        var time = new StepTimeProvider(DateTimeOffset.UtcNow);
        _nominatim.Fail("/search", FakeNominatim.Blocked());
        _nominatim.Fail("/search", new Fault(503, """{"error":"Service Unavailable"}"""));
        _nominatim.Fail("/search", new Fault(429, """{"error":"Too Many Requests"}""") { Headers = new Dictionary<string, string> { ["Retry-After"] = "600" } });
        await using var replica = await GeocoderHost.StartAsync(_database.ConnectionString, _nominatim.BaseAddress, time);

        // The 503 right after the block is Nominatim's trouble, not the location's: no answer yet, and the location is
        // asked about again at the next turn.
        var resolving = Task.Run(async () =>
        {
            while (true)
            {
                if (await replica.Geocoder.ResolveAsync("Madison Square Garden", Cancellation) is { } answered)
                {
                    return answered;
                }
            }
        }, Cancellation);
        var waits = new List<TimeSpan>();
        for (var i = 0; i < 3; i++)
        {
            waits.Add(await time.CompleteNextWaitAsync());
        }

        var result = await resolving.WaitAsync(TimeSpan.FromSeconds(30), Cancellation);

        Assert.Equal("US", result.Place!.CountryCode);
        Assert.Equal(4, _nominatim.Requests.Count);
        // One minute, two minutes, then the ten Retry-After asks for; measured on the database clock, a little less.
        Assert.All(waits.Zip([60, 120, 600]), pair => Assert.InRange(pair.First.TotalSeconds, pair.Second - 5, pair.Second));
    }

    [Fact]
    public async Task Without_a_User_Agent_unknown_strings_stay_unresolved_until_Nominatim_is_configured()
    {
        await using (var offline = await GeocoderHost.StartAsync(_database.ConnectionString, nominatim: null))
        {
            Assert.Equal(new GeocodeResult("portland head light", null, Providers.Unresolved),
                await offline.Geocoder.ResolveAsync("Portland Head Light", Cancellation));
            Assert.Empty(_nominatim.Requests);
        }

        await using var online = await GeocoderHost.StartAsync(_database.ConnectionString, _nominatim.BaseAddress);
        Assert.Null(await online.Geocoder.TryResolveOfflineAsync("Portland Head Light", Cancellation));
        Assert.Equal("US", (await online.Geocoder.ResolveAsync("Portland Head Light", Cancellation))!.Place!.CountryCode);
    }

    [Fact]
    public async Task The_writer_role_stores_answers_and_takes_Nominatim_turns()
    {
        var roles = new DatabaseOptions { WriterRole = $"geo_writer_{Guid.NewGuid():N}"[..24], WriterPassword = "writer secret" };
        await using var withRoles = await EventDatabase.OpenAsync(await server.CreateDatabaseAsync(), roles: roles);
        await using var replica = await GeocoderHost.StartAsync(withRoles.ConnectionString, _nominatim.BaseAddress,
            settings: new Dictionary<string, string?> { ["Database:WriterRole"] = roles.WriterRole, ["Database:WriterPassword"] = roles.WriterPassword });

        Assert.Equal("DE", (await replica.Geocoder.ResolveAsync("Hamburg", Cancellation))!.Place!.CountryCode);
        Assert.Equal("US", (await replica.Geocoder.ResolveAsync("Madison Square Garden", Cancellation))!.Place!.CountryCode);
        Assert.Equal(2L, await Sql.ScalarAsync(withRoles.ConnectionString, "SELECT count(*) FROM locations"));
    }

    [Theory]
    [InlineData("Geocoding:UserAgent", "GithubEvents", "Geocoding:UserAgent must name the application and a contact")]
    [InlineData("Geocoding:NominatimUrl", "nominatim.example.org", "Geocoding:NominatimUrl must be an absolute http(s) URL")]
    [InlineData("Geocoding:RequestInterval", "00:00:00.500", "Geocoding:RequestInterval must be between 1 second and 1 hour")]
    public async Task Bad_settings_stop_start_up_naming_the_setting(string setting, string value, string message)
    {
        var failure = await Assert.ThrowsAsync<OptionsValidationException>(async () =>
            await GeocoderHost.StartAsync(_database.ConnectionString, _nominatim.BaseAddress,
                settings: new Dictionary<string, string?> { [setting] = value }));

        Assert.Contains(message, failure.Message);
    }

    public async ValueTask DisposeAsync()
    {
        await _database.DisposeAsync();
        await _nominatim.DisposeAsync();
    }
}
