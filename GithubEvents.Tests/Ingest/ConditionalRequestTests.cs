using System.Net;

namespace GithubEvents.Tests.Ingest;

public sealed class ConditionalRequestTests(KafkaMockCluster kafka)
{
    [Fact]
    public async Task The_poller_sends_the_ETag_back_byte_for_byte_and_a_304_costs_no_quota()
    {
        await using var run = await LivePollerRun.StartAsync(kafka);
        var wait = await run.Time.NextWaitAsync();
        await run.PollAgainAsync(wait);

        using var client = run.GitHub.CreateClient();
        using var check = new HttpRequestMessage(HttpMethod.Get, "events?per_page=100");
        check.Headers.Authorization = new("Bearer", LivePollerRun.Token);
        using var response = await client.SendAsync(check, TestContext.Current.CancellationToken);
        var served = response.Headers.NonValidated["ETag"].ToString();

        var (first, second) = (run.FeedRequests[0], run.FeedRequests[1]);
        Assert.Equal("?per_page=100", first.Query);
        Assert.Null(first.Header("If-None-Match"));
        Assert.Equal(served, second.Header("If-None-Match"));
        Assert.StartsWith("W/\"", served);
        // 5,000 less the first poll and this check: the second poll's 304 spent nothing.
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("4998", response.Headers.GetValues("X-RateLimit-Remaining").Single());
    }

    [Fact]
    public async Task Requests_carry_the_headers_GitHub_asks_for_and_the_token_as_a_bearer()
    {
        await using var run = await LivePollerRun.StartAsync(kafka);
        await run.Time.NextWaitAsync();

        var request = run.FeedRequests[0];
        Assert.Equal("application/vnd.github+json", request.Header("Accept"));
        Assert.Equal("2022-11-28", request.Header("X-GitHub-Api-Version"));
        Assert.Equal("GithubEvents-Ingest", request.Header("User-Agent"));
        Assert.Equal($"Bearer {LivePollerRun.Token}", request.Header("Authorization"));
    }

    [Fact]
    public async Task Without_a_token_no_authorization_is_sent()
    {
        await using var run = await LivePollerRun.StartAsync(kafka, settings: new Dictionary<string, string?> { ["GitHub:Token"] = "" });
        await run.Time.NextWaitAsync();

        Assert.Null(run.FeedRequests[0].Header("Authorization"));
    }
}
