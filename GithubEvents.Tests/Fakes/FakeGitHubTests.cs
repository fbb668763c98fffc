using System.Net;
using System.Text.Json;
using Microsoft.Extensions.Time.Testing;

namespace GithubEvents.Tests.Fakes;

/// <summary>The fake behaves as the recorded GitHub responses show, so tests against it mean something.</summary>
public sealed class FakeGitHubTests : IAsyncLifetime
{
    private readonly FakeTimeProvider _time = new(DateTimeOffset.Parse("2026-11-26T12:00:00Z", System.Globalization.CultureInfo.InvariantCulture));
    private readonly FakeGitHub _github;
    private HttpClient _client = null!;

    public FakeGitHubTests()
    {
        _github = FakeGitHub.WithRecordedFixtures(_time);
    }

    public async ValueTask InitializeAsync()
    {
        await _github.InitializeAsync();
        _client = _github.CreateClient();
    }

    [Fact]
    public async Task Events_carry_the_recorded_headers_and_a_weak_ETag()
    {
        using var response = await _client.GetAsync("events?per_page=100", TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.StartsWith("W/\"", response.Headers.ETag!.ToString());
        Assert.Equal("60", Header(response, "X-Poll-Interval"));
        Assert.Equal("60", Header(response, "X-RateLimit-Limit"));
        Assert.Equal("59", Header(response, "X-RateLimit-Remaining"));
        Assert.Equal("github.v3; format=json", Header(response, "X-GitHub-Media-Type"));
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        Assert.Equal(30, body.RootElement.GetArrayLength());
        Assert.Equal("12155213000", body.RootElement[0].GetProperty("id").GetString());
    }

    [Fact]
    public async Task A_matching_If_None_Match_gets_304_without_spending_quota()
    {
        using var first = await _client.GetAsync("events", TestContext.Current.CancellationToken);
        var etag = first.Headers.ETag!.ToString();

        using var request = new HttpRequestMessage(HttpMethod.Get, "events");
        request.Headers.TryAddWithoutValidation("If-None-Match", etag);
        using var second = await _client.SendAsync(request, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.NotModified, second.StatusCode);
        Assert.Equal("59", Header(second, "X-RateLimit-Remaining"));
        Assert.Empty(await second.Content.ReadAsByteArrayAsync(TestContext.Current.CancellationToken));

        _github.Publish([NewEvent(1)]);
        using var changed = new HttpRequestMessage(HttpMethod.Get, "events");
        changed.Headers.TryAddWithoutValidation("If-None-Match", etag);
        using var third = await _client.SendAsync(changed, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, third.StatusCode);
        Assert.NotEqual(etag, third.Headers.ETag!.ToString());
    }

    [Fact]
    public async Task The_feed_pages_with_Link_headers_and_ends_at_300_events()
    {
        _github.SetEvents(Enumerable.Range(0, 400).Select(NewEvent));

        using var page1 = await _client.GetAsync("events?per_page=100", TestContext.Current.CancellationToken);
        using var page3 = await _client.GetAsync("events?per_page=100&page=3", TestContext.Current.CancellationToken);
        using var page4 = await _client.GetAsync("events?per_page=100&page=4", TestContext.Current.CancellationToken);

        Assert.Contains($"<{_github.BaseAddress}events?per_page=100&page=2>; rel=\"next\"", Header(page1, "Link"));
        Assert.Contains($"<{_github.BaseAddress}events?per_page=100&page=3>; rel=\"last\"", Header(page1, "Link"));
        Assert.DoesNotContain("rel=\"next\"", Header(page3, "Link"));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, page4.StatusCode);
    }

    [Fact]
    public async Task A_spent_budget_answers_403_until_the_reset_time()
    {
        _github.ExhaustRateLimit();

        using var refused = await _client.GetAsync("events", TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.Equal("0", Header(refused, "X-RateLimit-Remaining"));
        var reset = DateTimeOffset.FromUnixTimeSeconds(long.Parse(Header(refused, "X-RateLimit-Reset")!, System.Globalization.CultureInfo.InvariantCulture));
        Assert.Contains("API rate limit exceeded", await refused.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));

        _time.SetUtcNow(reset);
        using var served = await _client.GetAsync("events", TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, served.StatusCode);
    }

    [Fact]
    public async Task A_token_gets_the_authenticated_budget()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "events");
        request.Headers.Authorization = new("Bearer", "test-token");

        using var response = await _client.SendAsync(request, TestContext.Current.CancellationToken);

        Assert.Equal("5000", Header(response, "X-RateLimit-Limit"));
        Assert.Equal("Bearer test-token", _github.Requests.Last().Header("Authorization"));
    }

    [Fact]
    public async Task Faults_on_demand_answer_before_the_normal_behaviour_and_then_stop()
    {
        _github.Fail("/events", FakeGitHub.SecondaryRateLimit(retryAfterSeconds: 30));
        _github.Fail("/events", FakeGitHub.ServerError(502));

        using var limited = await _client.GetAsync("events", TestContext.Current.CancellationToken);
        using var failed = await _client.GetAsync("events", TestContext.Current.CancellationToken);
        using var served = await _client.GetAsync("events", TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.Forbidden, limited.StatusCode);
        Assert.Equal("30", Header(limited, "Retry-After"));
        Assert.Equal(HttpStatusCode.BadGateway, failed.StatusCode);
        Assert.Equal(HttpStatusCode.OK, served.StatusCode);
        Assert.Equal(3, _github.Requests.Count);
    }

    [Fact]
    public async Task An_outage_answers_every_request_with_its_fault_until_it_ends()
    {
        _github.StartOutage("/events", FakeGitHub.ServerError(503));

        using var first = await _client.GetAsync("events", TestContext.Current.CancellationToken);
        using var second = await _client.GetAsync("events", TestContext.Current.CancellationToken);
        using var user = await _client.GetAsync("users/jacquev6", TestContext.Current.CancellationToken);
        _github.EndOutage("/events");
        using var served = await _client.GetAsync("events", TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, first.StatusCode);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, second.StatusCode);
        Assert.Equal(HttpStatusCode.OK, user.StatusCode);
        Assert.Equal(HttpStatusCode.OK, served.StatusCode);
    }

    [Fact]
    public async Task Users_are_served_by_login_and_id_and_unknown_ones_are_404()
    {
        using var byLogin = await _client.GetAsync("users/jacquev6", TestContext.Current.CancellationToken);
        using var byId = await _client.GetAsync("user/583231", TestContext.Current.CancellationToken);
        using var missing = await _client.GetAsync("users/no-such-user-here", TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, byLogin.StatusCode);
        Assert.Contains("\"location\"", await byLogin.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        Assert.Contains("\"octocat\"", await byId.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
    }

    private static string NewEvent(int i) =>
        $$"""{"id":"{{90000000000L + i}}","type":"WatchEvent","actor":{"id":{{i}},"login":"user{{i}}"},"repo":{"id":1,"name":"o/r"},"payload":{"action":"started"},"public":true,"created_at":"2026-11-26T12:00:00Z"}""";

    private static string? Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) ? string.Join(", ", values) : null;

    public async ValueTask DisposeAsync()
    {
        _client.Dispose();
        await _github.DisposeAsync();
    }
}
