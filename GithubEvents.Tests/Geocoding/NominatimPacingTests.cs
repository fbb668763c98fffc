
namespace GithubEvents.Tests.Geocoding;

public sealed class NominatimPacingTests(PostgresServer server)
{
    // Real time on purpose: this is about the pace the fake actually sees.
    [Fact]
    public async Task Two_replicas_never_send_Nominatim_two_requests_within_one_second()
    {
        await using var nominatim = FakeNominatim.WithRecordedFixtures();
        await nominatim.InitializeAsync();
        await using var database = await EventDatabase.OpenAsync(await server.CreateDatabaseAsync());
        await using var first = await GeocoderHost.StartAsync(database.ConnectionString, nominatim.BaseAddress);
        await using var second = await GeocoderHost.StartAsync(database.ConnectionString, nominatim.BaseAddress);

        await Task.WhenAll(
            Task.Run(() => ResolveAllAsync(first, "first"), TestContext.Current.CancellationToken),
            Task.Run(() => ResolveAllAsync(second, "second"), TestContext.Current.CancellationToken));

        var times = nominatim.Requests.Select(request => request.At).Order().ToList();
        Assert.Equal(6, times.Count);
        var gaps = times.Zip(times.Skip(1), (earlier, later) => later - earlier).ToList();
        TestContext.Current.TestOutputHelper!.WriteLine($"Gaps: {string.Join(", ", gaps.Select(gap => $"{gap.TotalMilliseconds:F0} ms"))}");
        Assert.All(gaps, gap => Assert.True(gap >= TimeSpan.FromSeconds(1), $"Two requests {gap.TotalMilliseconds:F0} ms apart"));
    }

    [Fact]
    public async Task No_row_lock_is_held_while_Nominatim_answers_and_no_other_replica_sends_meanwhile()
    {
        await using var nominatim = FakeNominatim.WithRecordedFixtures();
        await nominatim.InitializeAsync();
        var slowReply = TimeSpan.FromSeconds(2);
        nominatim.Fail("/search", new Fault(200, "[]") { Delay = slowReply });
        await using var database = await EventDatabase.OpenAsync(await server.CreateDatabaseAsync());
        // A claimed turn lasts the request's timeout and an interval, unless the reply comes first.
        var settings = new Dictionary<string, string?> { ["Geocoding:RequestTimeout"] = "00:00:05" };
        await using var first = await GeocoderHost.StartAsync(database.ConnectionString, nominatim.BaseAddress, settings: settings);
        await using var second = await GeocoderHost.StartAsync(database.ConnectionString, nominatim.BaseAddress, settings: settings);

        var slow = first.Geocoder.ResolveAsync("Unknown place of the first replica", TestContext.Current.CancellationToken);
        await EnrichPipeline.EventuallyAsync(() => Task.FromResult(nominatim.Requests.Count == 1), "the first request");
        // The turn was claimed and committed: the row is free to lock, and says that nobody may send yet.
        Assert.Equal(true, await Sql.ScalarAsync(database.ConnectionString,
            "SELECT next_request_at > clock_timestamp() FROM nominatim_pacing WHERE id = 1 FOR UPDATE NOWAIT"));
        var other = second.Geocoder.ResolveAsync("Unknown place of the second replica", TestContext.Current.CancellationToken);

        Assert.Null((await slow)!.Place);
        Assert.Null((await other)!.Place);
        var times = nominatim.Requests.Select(request => request.At).Order().ToList();
        Assert.Equal(2, times.Count);
        Assert.True(times[1] - times[0] > slowReply, $"The second request came {(times[1] - times[0]).TotalMilliseconds:F0} ms after the first, before its reply");
    }

    private static async Task ResolveAllAsync(GeocoderHost replica, string name)
    {
        for (var i = 0; i < 3; i++)
        {
            var result = await replica.Geocoder.ResolveAsync($"Unknown place {i} of the {name} replica", TestContext.Current.CancellationToken);
            Assert.Null(result!.Place);
        }
    }
}
