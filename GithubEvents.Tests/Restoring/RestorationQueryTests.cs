using System.Text;
using System.Text.Json;
using GithubEvents.Enrich.Restoring;

namespace GithubEvents.Tests.Restoring;

public sealed class RestorationQueryTests
{
    private static readonly RestoreTarget[] Targets =
    [
        new("acme/widgets", RestoreTarget.Commit, "1111111111111111111111111111111111111111"),
        new("gone/away", RestoreTarget.PullRequest, "3"),
        new("acme/widgets", RestoreTarget.PullRequest, "7"),
        new("acme/widgets", RestoreTarget.PullRequest, "8"),
    ];

    [Fact]
    public void The_query_groups_the_targets_by_repository_and_carries_every_value_as_a_variable()
    {
        using var body = JsonDocument.Parse(RestorationQuery.Build(Targets));
        var query = body.RootElement.GetProperty("query").GetString()!;
        var variables = body.RootElement.GetProperty("variables");

        Assert.Contains("r0: repository(owner: $r0o, name: $r0n) {\n    t0: object(oid: $t0) { ...commit }\n    t1: pullRequest(number: $t1) { ...pullRequest }\n    t2: pullRequest(number: $t2)", query);
        Assert.Contains("r1: repository(owner: $r1o, name: $r1n) {\n    t3: pullRequest(number: $t3)", query);
        Assert.DoesNotContain("acme", query);
        Assert.Equal("widgets", variables.GetProperty("r0n").GetString());
        Assert.Equal(7, variables.GetProperty("t1").GetInt32());
        Assert.Equal(3, variables.GetProperty("t3").GetInt32());
    }

    [Fact]
    public void Not_found_is_settled_and_any_other_error_leaves_its_target_for_later()
    {
        // The targets in the query's order: r0 (acme/widgets) t0..t2, r1 (gone/away) t3.
        var answer = """
            {"data":{"rateLimit":{"limit":5000,"cost":1,"remaining":4990,"resetAt":"2026-01-01T13:00:00Z"},
              "r0":{"t0":{"oid":"1111111111111111111111111111111111111111","message":"Fix it","author":{"name":"Dev","email":"dev@example.com"}},
                    "t1":{"title":"Widgets v2","state":"MERGED","merged":true,"additions":3,"deletions":1,"changedFiles":2},
                    "t2":null},
              "r1":null},
             "errors":[{"type":"SERVICE_UNAVAILABLE","path":["r0","t2"],"message":"Timeout"},
                       {"type":"NOT_FOUND","path":["r1"],"message":"Could not resolve to a Repository with the name 'gone/away'."}]}
            """;

        var batch = RestorationQuery.Parse(Encoding.UTF8.GetBytes(answer), Targets);

        Assert.False(batch.RateLimited);
        Assert.Equal(1, batch.RateLimit!.Cost);
        Assert.Equal(3, batch.Objects.Count);
        var commit = batch.Objects.Single(o => o.Target.Kind == RestoreTarget.Commit).Value!;
        Assert.Equal("""{"sha":"1111111111111111111111111111111111111111","author":{"email":"dev@example.com","name":"Dev"},"message":"Fix it"}""", commit.ToJsonString());
        var pullRequest = batch.Objects.Single(o => o.Target.Key == "7").Value!;
        Assert.Equal("""{"title":"Widgets v2","state":"closed","merged":true,"additions":3,"deletions":1,"changed_files":2}""", pullRequest.ToJsonString());
        Assert.Null(batch.Objects.Single(o => o.Target.Repo == "gone/away").Value);
        Assert.DoesNotContain(batch.Objects, o => o.Target.Key == "8");
    }

    [Fact]
    public void A_rate_limited_answer_without_data_settles_nothing()
    {
        var batch = RestorationQuery.Parse("""{"errors":[{"type":"RATE_LIMITED","message":"API rate limit exceeded"}]}"""u8, Targets);

        Assert.True(batch.RateLimited);
        Assert.Empty(batch.Objects);
        Assert.Throws<JsonException>(() => RestorationQuery.Parse("""{"errors":[{"message":"Something went wrong"}]}"""u8, Targets));
    }
}
