using GithubEvents.Tests.Enrich;
using GithubEvents.Tests.Infrastructure;

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

    private static async Task ResolveAllAsync(GeocoderHost replica, string name)
    {
        for (var i = 0; i < 3; i++)
        {
            var result = await replica.Geocoder.ResolveAsync($"Unknown place {i} of the {name} replica", TestContext.Current.CancellationToken);
            Assert.Null(result.Place);
        }
    }
}
