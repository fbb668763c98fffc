using Microsoft.Extensions.Logging;

namespace GithubEvents.Tests.Profiles;

/// <summary>GitHub answers 200 with a body in another shape than asked for: a failed answer, never an exception out of the lookup.</summary>
public sealed class MalformedAnswerTests(PostgresServer postgres)
{
    [Fact]
    public async Task A_GraphQL_answer_with_missing_members_or_no_data_hands_the_batch_to_REST()
    {
        var arranged = await ProfileRun.ArrangeAsync(postgres);
        await ProfileRun.WriteEventsAsync(arranged.Database, [(81, "quinn", 1), (81, "quinn", 1), (81, "quinn", 1), (82, "rosa", 2), (82, "rosa", 2), (83, "sami", 3)]);
        arranged.GitHub.AddGeneratedUser(81, "quinn");
        arranged.GitHub.AddGeneratedUser(82, "rosa");
        arranged.GitHub.AddGeneratedUser(83, "sami");
        // The budget without its limit, cost and reset; a user without its id; errors that are no objects, and no data.
        arranged.GitHub.Fail("/graphql", new Fault(200, """{"data":{"rateLimit":{"remaining":4999}}}"""));
        arranged.GitHub.Fail("/graphql", new Fault(200, """{"data":{"a0":{"__typename":"User","login":"rosa","name":"Rosa"}}}"""));
        arranged.GitHub.Fail("/graphql", new Fault(200, """{"errors":["Something went wrong"]}"""));
        await using var run = await ProfileRun.StartAsync(arranged, settings: new Dictionary<string, string?> { ["Profiles:BatchSize"] = "1" });

        await EnrichPipeline.EventuallyAsync(async () => await run.CountAsync("SELECT count(*) FROM actors WHERE NOT not_found") == 3, "the three profiles stored");
        Assert.Equal(3, run.GraphQLRequests.Count);
        Assert.Equal(["/users/quinn", "/users/rosa", "/users/sami"], run.RestRequests.Select(r => r.Path));
        Assert.Equal(3, run.Logs.Entries.Count(log => log.Message.StartsWith("A GraphQL lookup failed", StringComparison.Ordinal)));
        Assert.DoesNotContain(run.Logs.Entries, log => log.Level >= LogLevel.Error);
    }

    [Fact]
    public async Task A_REST_user_without_login_or_with_the_wrong_kinds_is_a_failed_lookup_asked_again_later()
    {
        var arranged = await ProfileRun.ArrangeAsync(postgres);
        await ProfileRun.WriteEventsAsync(arranged.Database, [(84, "tove", 1)]);
        arranged.GitHub.AddGeneratedUser(84, "tove", location: "Oslo");
        arranged.GitHub.Fail("/users", new Fault(200, """{"id":84,"type":"User"}"""));
        arranged.GitHub.Fail("/users", new Fault(200, """{"id":84,"login":null}"""));
        arranged.GitHub.Fail("/users", new Fault(200, """{"id":"84","login":"tove"}"""));
        await using var run = await ProfileRun.StartAsync(arranged, token: false);

        // Each failure waits before the actor is asked again: through those waits, however many there are.
        for (var wait = 0; wait < 30 && await run.CountAsync("SELECT count(*) FROM actors") == 0; wait++)
        {
            await run.Time.CompleteNextWaitAsync();
        }

        await EnrichPipeline.EventuallyAsync(async () => await run.CountAsync("SELECT count(*) FROM actors WHERE location = 'Oslo'") == 1, "the profile stored");
        Assert.Equal(4, run.RestRequests.Count);
        Assert.Equal(3, run.Logs.Entries.Count(log => log.Message.StartsWith("A REST profile lookup failed", StringComparison.Ordinal)));
        Assert.DoesNotContain(run.Logs.Entries, log => log.Level >= LogLevel.Error);
    }
}
