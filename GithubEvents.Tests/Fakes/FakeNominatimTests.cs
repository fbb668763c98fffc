using System.Net;
using System.Text.Json;

namespace GithubEvents.Tests.Fakes;

public sealed class FakeNominatimTests : IAsyncLifetime
{
    private readonly FakeNominatim _nominatim = FakeNominatim.WithRecordedFixtures();
    private HttpClient _client = null!;

    public async ValueTask InitializeAsync()
    {
        await _nominatim.InitializeAsync();
        _client = _nominatim.CreateClient();
    }

    [Fact]
    public async Task A_known_place_gets_its_recorded_result_with_the_country_code()
    {
        var json = await _client.GetStringAsync("search?q=portland%20head%20light&format=jsonv2&addressdetails=1&limit=1", TestContext.Current.CancellationToken);

        using var result = JsonDocument.Parse(json);
        Assert.Equal("us", result.RootElement[0].GetProperty("address").GetProperty("country_code").GetString());
        Assert.Equal("q=portland%20head%20light&format=jsonv2&addressdetails=1&limit=1", _nominatim.Requests.Single().Query.TrimStart('?'));
    }

    [Fact]
    public async Task An_unknown_place_gets_an_empty_array()
    {
        var json = await _client.GetStringAsync("search?q=Remote&format=jsonv2", TestContext.Current.CancellationToken);

        Assert.Equal("[]", json);
    }

    [Fact]
    public async Task A_request_without_a_User_Agent_gets_the_block_page()
    {
        using var anonymous = new HttpClient { BaseAddress = _nominatim.BaseAddress };

        using var response = await anonymous.GetAsync("search?q=Berlin", TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Contains("Bandwidth limit exceeded", await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task A_block_on_demand_serves_the_HTML_page_with_429_once()
    {
        _nominatim.Fail("/search", FakeNominatim.Blocked());

        using var blocked = await _client.GetAsync("search?q=Berlin", TestContext.Current.CancellationToken);
        using var served = await _client.GetAsync("search?q=Berlin", TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.TooManyRequests, blocked.StatusCode);
        Assert.Equal("text/html", blocked.Content.Headers.ContentType!.MediaType);
        Assert.Equal(HttpStatusCode.OK, served.StatusCode);
    }

    [Fact]
    public async Task A_refused_query_gets_its_fault_until_answered_while_other_queries_are_served()
    {
        _nominatim.Refuse("Refused Place", FakeNominatim.ServerError());

        using var refused = await _client.GetAsync("search?q=refused%20%20place&format=jsonv2", TestContext.Current.CancellationToken);
        using var other = await _client.GetAsync("search?q=Portland%20Head%20Light&format=jsonv2", TestContext.Current.CancellationToken);
        _nominatim.Answer("Refused Place", "[]");
        using var answered = await _client.GetAsync("search?q=Refused%20Place&format=jsonv2", TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.InternalServerError, refused.StatusCode);
        Assert.Equal(HttpStatusCode.OK, other.StatusCode);
        Assert.Equal("[]", await answered.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
    }

    public async ValueTask DisposeAsync()
    {
        _client.Dispose();
        await _nominatim.DisposeAsync();
    }
}
