using System.Text;
using System.Text.Json;
using GithubEvents.Enrich.Profiles;

namespace GithubEvents.Tests.Profiles;

/// <summary>The batched GraphQL profile query, and the parsing of GitHub's answers to it.</summary>
public sealed class ProfileQueryTests
{
    [Fact]
    public void Every_login_is_an_aliased_lookup_through_a_variable_beside_the_budget()
    {
        using var body = JsonDocument.Parse(ProfileQuery.Build(["octocat", "a\"b) { x }", "github"]));

        var query = body.RootElement.GetProperty("query").GetString()!;
        Assert.Contains("query Profiles($l0: String!, $l1: String!, $l2: String!)", query);
        Assert.Contains("rateLimit { limit cost remaining resetAt }", query);
        Assert.Contains("a1: repositoryOwner(login: $l1) { ...owner }", query);
        Assert.DoesNotContain("a\"b", query);
        Assert.Equal("a\"b) { x }", body.RootElement.GetProperty("variables").GetProperty("l1").GetString());
    }

    [Fact]
    public async Task GitHub_s_answer_gives_users_organisations_and_null_for_unknown_logins_and_bots()
    {
        await using var github = FakeGitHub.WithRecordedFixtures();
        await github.InitializeAsync();
        github.AddGeneratedUser(9001, "acme-corp", type: "Organization", location: "Zürich", publicRepos: 12);
        github.AddGeneratedUser(49699333, "dependabot[bot]", type: "Bot");
        string[] logins = ["jacquev6", "octocat", "acme-corp", "no-such-account", "dependabot[bot]"];
        using var client = github.CreateClient();
        client.DefaultRequestHeaders.Authorization = new("Bearer", "test-token");

        using var response = await client.PostAsync("graphql", new StringContent(ProfileQuery.Build(logins), Encoding.UTF8, "application/json"), TestContext.Current.CancellationToken);
        var batch = ProfileQuery.Parse(await response.Content.ReadAsByteArrayAsync(TestContext.Current.CancellationToken), logins);

        // jacquev6 as the recorded REST profile has it.
        Assert.Equal(new GitHubProfile(327146, "jacquev6", ActorType.User, "Vincent Jacques", null, "France", 38, 98, DateTimeOffset.Parse("2010-07-09T06:10:06Z", System.Globalization.CultureInfo.InvariantCulture)), batch.Profiles["jacquev6"]);
        Assert.Equal(583231, batch.Profiles["octocat"]!.Id);
        Assert.Equal(ActorType.Organization, batch.Profiles["acme-corp"]!.Type);
        Assert.Equal(("Zürich", 12), (batch.Profiles["acme-corp"]!.Location, batch.Profiles["acme-corp"]!.PublicRepos));
        Assert.Null(batch.Profiles["no-such-account"]);
        Assert.Null(batch.Profiles["dependabot[bot]"]);
        Assert.False(batch.RateLimited);
        Assert.Equal((5000, 1, 4999), (batch.RateLimit!.Limit, batch.RateLimit.Cost, batch.RateLimit.Remaining));
        Assert.Equal("graphql", response.Headers.GetValues("X-RateLimit-Resource").Single());
    }

    [Fact]
    public void A_null_user_with_NOT_FOUND_is_unknown_and_RATE_LIMITED_says_the_points_are_spent()
    {
        var notFound = ProfileQuery.Parse(Encoding.UTF8.GetBytes(
            """
            {"data":{"rateLimit":{"limit":5000,"cost":1,"remaining":4321,"resetAt":"2026-11-26T13:00:00Z"},"a0":null,
             "a1":{"__typename":"User","login":"mona","databaseId":7,"name":null,"company":"@github","location":null,"createdAt":"2011-01-01T00:00:00Z","followers":{"totalCount":3},"publicRepos":{"totalCount":4}}},
             "errors":[{"type":"NOT_FOUND","path":["a0"],"locations":[{"line":3,"column":3}],"message":"Could not resolve to a User with the login of 'gone'."}]}
            """), ["gone", "mona"]);
        var limited = ProfileQuery.Parse(Encoding.UTF8.GetBytes(
            """{"errors":[{"type":"RATE_LIMITED","code":"graphql_rate_limit","message":"API rate limit already exceeded for user ID 1."}]}"""), ["mona"]);

        Assert.Null(notFound.Profiles["gone"]);
        Assert.Equal(new GitHubProfile(7, "mona", ActorType.User, null, "@github", null, 4, 3, DateTimeOffset.Parse("2011-01-01T00:00:00Z", System.Globalization.CultureInfo.InvariantCulture)), notFound.Profiles["mona"]);
        Assert.Equal(4321, notFound.RateLimit!.Remaining);
        Assert.True(limited.RateLimited);
        Assert.Empty(limited.Profiles);
        Assert.Throws<JsonException>(() => ProfileQuery.Parse(Encoding.UTF8.GetBytes("""{"errors":[{"message":"Parse error on \"}\""}]}"""), ["mona"]));
        Assert.ThrowsAny<JsonException>(() => ProfileQuery.Parse("<html>Unicorn!</html>"u8, ["mona"]));
    }

    [Theory]
    [InlineData("https://api.github.com", "https://api.github.com/graphql")]
    [InlineData("https://ghe.example.org/api/v3", "https://ghe.example.org/api/graphql")]
    [InlineData("https://ghe.example.org/api/v3/", "https://ghe.example.org/api/graphql")]
    public void The_GraphQL_endpoint_sits_beside_the_REST_root(string apiUrl, string graphQL) =>
        Assert.Equal(new Uri(graphQL), GitHubProfileClient.DefaultGraphQLUrl(new Uri(apiUrl)));
}
