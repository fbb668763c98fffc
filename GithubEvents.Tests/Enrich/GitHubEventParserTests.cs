using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using GithubEvents.Enrich.Events;

namespace GithubEvents.Tests.Enrich;

public sealed class GitHubEventParserTests
{
    [Fact]
    public void Every_recorded_archive_event_parses_with_the_values_it_carries()
    {
        foreach (var json in ArchiveFixture.Events)
        {
            Assert.True(GitHubEventParser.TryParse(json, out var row, out var rejection), rejection);
            using var expected = JsonDocument.Parse(json);
            var root = expected.RootElement;
            Assert.Equal(long.Parse(root.GetProperty("id").GetString()!), row.EventId);
            Assert.Equal(root.GetProperty("type").GetString(), row.EventType);
            Assert.Equal(root.GetProperty("created_at").GetDateTime().ToUniversalTime(), row.Time);
            Assert.Equal(DateTimeKind.Utc, row.Time.Kind);
            Assert.Equal(root.GetProperty("actor").GetProperty("login").GetString(), row.Actor);
            Assert.Equal(root.GetProperty("actor").GetProperty("id").GetInt64(), row.ActorId);
            Assert.Equal(root.GetProperty("repo").GetProperty("name").GetString(), row.Repo);
            Assert.Equal(root.GetProperty("repo").GetProperty("id").GetInt64(), row.RepoId);
            Assert.Equal(root.TryGetProperty("org", out var org) ? org.GetProperty("login").GetString() : null, row.Org);
            Assert.Equal(row.Actor.EndsWith("[bot]", StringComparison.Ordinal), row.IsBot);
            Assert.True(JsonNode.DeepEquals(JsonNode.Parse(json), Whole(row)), "envelope and payload are not the original event");
            Assert.False(string.IsNullOrWhiteSpace(row.Detail));
        }
    }

    [Fact]
    public void The_first_recorded_event_of_each_type_gets_its_line()
    {
        var firstOfType = ArchiveFixture.Events
            .Select(json => GitHubEventParser.TryParse(json, out var row, out _) ? row : throw new InvalidOperationException())
            .GroupBy(row => row.EventType)
            .ToDictionary(group => group.Key, group => group.First().Detail);

        Assert.Equal("deleted branch cicd-e2e-g1szrn", firstOfType["DeleteEvent"]);
        Assert.Equal("created branch 1.71", firstOfType["CreateEvent"]);
        Assert.Equal("pushed 1 commit to main", firstOfType["PushEvent"]);
        Assert.Equal("starred", firstOfType["WatchEvent"]);
        Assert.Equal("made the repository public", firstOfType["PublicEvent"]);
        Assert.Equal(15, firstOfType.Count);
        Assert.Matches(@"^(merged|closed|opened|reopened|synchronize|[a-z_]+) pull request #\d+$", firstOfType["PullRequestEvent"]);
        Assert.Matches(@"^forked to \S+/\S+$", firstOfType["ForkEvent"]);
        Assert.Matches(@"^commented on (issue|pull request) #\d+$", firstOfType["IssueCommentEvent"]);
        Assert.Matches(@"^(approved|reviewed|requested changes on) pull request #\d+$", firstOfType["PullRequestReviewEvent"]);
        Assert.Matches(@"^commented on a review of pull request #\d+$", firstOfType["PullRequestReviewCommentEvent"]);
        Assert.Matches(@"^[a-z]+ issue #\d+$", firstOfType["IssuesEvent"]);
        Assert.Matches(@"^published release \S+$", firstOfType["ReleaseEvent"]);
        Assert.Matches(@"^commented on commit [0-9a-f]{7}$", firstOfType["CommitCommentEvent"]);
        Assert.Matches(@"^(edited \d+ wiki pages|[a-z]+ wiki page .+)$", firstOfType["GollumEvent"]);
        Assert.Matches(@"^added collaborator \S+$", firstOfType["MemberEvent"]);
    }

    // What v_raw_events gives back: the envelope with the payload put back in.
    private static JsonObject Whole(EventRow row)
    {
        var whole = JsonNode.Parse(row.Envelope)!.AsObject();
        whole["payload"] = JsonNode.Parse(row.Payload);
        return whole;
    }

    public static TheoryData<string, string, string> Details => new()
    {
        { "PushEvent", """{"push_id":1,"size":3,"distinct_size":3,"ref":"refs/heads/main","head":"a","before":"b","commits":[]}""", "pushed 3 commits to main" },
        { "PushEvent", """{"repository_id":7,"push_id":1,"ref":"refs/heads/main","head":"a","before":"b"}""", "pushed to main" },
        { "PushEvent", """{"repository_id":7,"push_id":1,"ref":"refs/tags/v1.2","head":"a","before":"b"}""", "pushed to tag v1.2" },
        { "PullRequestEvent", """{"action":"opened","number":123,"pull_request":{"number":123,"merged":false}}""", "opened pull request #123" },
        { "PullRequestEvent", """{"action":"closed","number":9,"pull_request":{"number":9,"merged":true}}""", "merged pull request #9" },
        { "PullRequestEvent", """{"action":"closed","number":9,"pull_request":{"head":{"ref":"x"},"base":{"ref":"main"}}}""", "closed pull request #9" },
        { "PullRequestEvent", """{"number":9,"pull_request":{"head":{"ref":"x"},"base":{"ref":"main"}}}""", "updated pull request #9" },
        { "IssuesEvent", """{"action":"opened","issue":{"number":5}}""", "opened issue #5" },
        { "IssueCommentEvent", """{"action":"created","issue":{"number":5,"pull_request":{}}}""", "commented on pull request #5" },
        { "PullRequestReviewEvent", """{"action":"created","review":{"state":"approved"},"pull_request":{"number":4}}""", "approved pull request #4" },
        { "PullRequestReviewThreadEvent", """{"action":"resolved","pull_request":{"number":4}}""", "resolved a review thread on pull request #4" },
        { "CreateEvent", """{"ref":null,"ref_type":"repository"}""", "created repository" },
        { "DeleteEvent", """{"ref":"v1","ref_type":"tag"}""", "deleted tag v1" },
        { "GollumEvent", """{"pages":[{"page_name":"Home","title":"Home","action":"created"}]}""", "created wiki page Home" },
        { "SponsorshipEvent", """{"action":"created"}""", "created a sponsorship" },
        { "DiscussionEvent", """{"action":"created","discussion":{"number":3}}""", "created discussion #3" },
        { "FollowEvent", """{}""", "follow" },
        { "WatchEvent", """{}""", "starred" },
    };

    [Theory]
    [MemberData(nameof(Details))]
    public void Each_payload_shape_gets_the_line_its_fields_allow(string type, string payload, string expected)
    {
        var json = TestEvents.Event(1, type, DateTime.UtcNow, "octocat", 583231, "octo/repo", JsonNode.Parse(payload)!.AsObject());

        Assert.True(GitHubEventParser.TryParse(json, out var row, out _));
        Assert.Equal(expected, row.Detail);
    }

    // Wherever the payload sits and however the event is spaced, the envelope is the event without it.
    public static TheoryData<string> Layouts => new()
    {
        """{"payload":{"ref":"refs/heads/x"},"id":"1","type":"PushEvent","created_at":"2025-01-01T00:00:00Z","actor":{"id":1,"login":"a"}}""",
        """{ "id" : "1" , "type":"PushEvent","created_at":"2025-01-01T00:00:00Z","actor":{"id":1,"login":"a"} ,   "payload" : { "ref" : "refs/heads/x" }  }""",
        """{"id":"1","type":"PushEvent","payload":null,"created_at":"2025-01-01T00:00:00Z","actor":{"id":1,"login":"a"}}""",
        """{"id":"1","type":"PushEvent","created_at":"2025-01-01T00:00:00Z","actor":{"id":1,"login":"a"}}""",
    };

    [Theory]
    [MemberData(nameof(Layouts))]
    public void The_envelope_is_the_event_without_its_payload_wherever_the_payload_sits(string json)
    {
        Assert.True(GitHubEventParser.TryParse(Encoding.UTF8.GetBytes(json), out var row, out var rejection), rejection);

        var original = JsonNode.Parse(json)!.AsObject();
        var payload = original["payload"] as JsonObject ?? [];
        original.Remove("payload");
        Assert.True(JsonNode.DeepEquals(original, JsonNode.Parse(row.Envelope)), Encoding.UTF8.GetString(row.Envelope));
        Assert.True(JsonNode.DeepEquals(payload, JsonNode.Parse(row.Payload)), Encoding.UTF8.GetString(row.Payload));
    }

    public static TheoryData<string, string> Poison => new()
    {
        { """{"id":"1","type":"PushEvent""", "invalid JSON" },
        { """[1,2]""", "not a JSON object but Array" },
        { """{"type":"PushEvent","created_at":"2025-01-01T00:00:00Z","actor":{"id":1,"login":"a"}}""", "missing or non-numeric id" },
        { """{"id":"12a","type":"PushEvent","created_at":"2025-01-01T00:00:00Z","actor":{"id":1,"login":"a"}}""", "missing or non-numeric id" },
        { """{"id":"1","created_at":"2025-01-01T00:00:00Z","actor":{"id":1,"login":"a"}}""", "missing type" },
        { """{"id":"1","type":"PushEvent","actor":{"id":1,"login":"a"}}""", "missing or invalid created_at" },
        { """{"id":"1","type":"PushEvent","created_at":"yesterday","actor":{"id":1,"login":"a"}}""", "missing or invalid created_at" },
        { """{"id":"1","type":"PushEvent","created_at":"2025-01-01T00:00:00Z"}""", "missing actor id or login" },
        { """{"id":"1","type":"PushEvent","created_at":"2025-01-01T00:00:00Z","actor":{"id":1,"login":"a"},"payload":{},"payload":{}}""", "more than one payload member" },
        { """{"id":"1","type":"PushEvent","created_at":"2025-01-01T00:00:00Z","actor":{"id":1,"login":"a"}} x""", "invalid JSON" },
        { """{"id":"1","type":"PushEvent","created_at":"2025-01-01T00:00:00Z","actor":{"id":1,"login":"a"},"payload":{"a":[1,}}""", "invalid JSON" },
        { """[1,2""", "invalid JSON" },
    };

    [Theory]
    [MemberData(nameof(Poison))]
    public void A_message_that_is_not_an_event_is_rejected_with_the_reason(string json, string reason)
    {
        Assert.False(GitHubEventParser.TryParse(Encoding.UTF8.GetBytes(json), out _, out var rejection));
        Assert.StartsWith(reason, rejection);
    }

    [Fact]
    public void A_NUL_escape_that_jsonb_cannot_hold_becomes_the_replacement_character_and_an_escaped_backslash_stays()
    {
        var json = TestEvents.Event(1, "PushEvent", DateTime.UtcNow, "octocat", 1, "octo/repo",
            new JsonObject { ["note"] = "a\u0000b", ["path"] = @"C:\u0000" });
        var text = Encoding.UTF8.GetString(json);
        Assert.Contains(@"a\u0000b", text);
        Assert.Contains(@"C:\\u0000", text);

        Assert.True(GitHubEventParser.TryParse(json, out var row, out _));

        using var stored = JsonDocument.Parse(row.Payload);
        Assert.Equal("a\ufffdb", stored.RootElement.GetProperty("note").GetString());
        Assert.Equal(@"C:\u0000", stored.RootElement.GetProperty("path").GetString());
        Assert.Equal<string>(["nul_escape"], row.Altered!);
    }

    [Fact]
    public void A_lone_surrogate_or_invalid_UTF8_in_what_the_parser_reads_becomes_the_replacement_character_and_the_row_says_so()
    {
        // The issue's message: a login cut in the middle of an emoji; a repository name with a byte that is not UTF-8.
        byte[] json =
        [
            .. """{"id":"1","type":"PushEvent","created_at":"2025-01-01T00:00:00Z","actor":{"id":1,"login":"oct\ud800cat"},"""u8,
            .. "\"repo\":{\"id\":2,\"name\":\"octo/re"u8, 0xFF, .. """po"},"payload":{"ref":"refs/heads/m\udc00ain","\ud83d\ude00":1}}"""u8,
        ];

        Assert.True(GitHubEventParser.TryParse(json, out var row, out var rejection), rejection);

        Assert.Equal("oct\ufffdcat", row.Actor);
        Assert.Equal("octo/re\ufffdpo", row.Repo);
        Assert.Equal("pushed to m\ufffdain", row.Detail);
        Assert.Equal<string>(["lone_surrogate", "invalid_utf8"], row.Altered!);
        Assert.Equal("""{"ref":"refs/heads/m\ufffdain","\ud83d\ude00":1}""", Encoding.UTF8.GetString(row.Payload));
        Assert.Equal(
            """{"id":"1","type":"PushEvent","created_at":"2025-01-01T00:00:00Z","actor":{"id":1,"login":"oct\ufffdcat"},"repo":{"id":2,"name":"octo/re""" + "\ufffd" + """po"}}""",
            Encoding.UTF8.GetString(row.Envelope));
    }

    [Fact]
    public void A_number_beyond_numeric_becomes_a_string_of_its_text_and_the_others_stay()
    {
        var json = """{"id":"1","type":"PushEvent","created_at":"2025-01-01T00:00:00Z","actor":{"id":1,"login":"a"},"payload":{"huge":1e200000,"tiny":-2.5E-16384,"fine":1e131071,"size":3}}"""u8.ToArray();

        Assert.True(GitHubEventParser.TryParse(json, out var row, out _));

        Assert.Equal("""{"huge":"1e200000","tiny":"-2.5E-16384","fine":1e131071,"size":3}""", Encoding.UTF8.GetString(row.Payload));
        Assert.Equal<string>(["number_out_of_range"], row.Altered!);
        Assert.True(GitHubEventParser.TryParse(ArchiveFixture.Events[0], out var untouched, out _));
        Assert.Null(untouched.Altered);
    }
}
