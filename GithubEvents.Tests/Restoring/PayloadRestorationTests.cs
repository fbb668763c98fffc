using System.Text.Json.Nodes;
using GithubEvents.Enrich.Restoring;

namespace GithubEvents.Tests.Restoring;

public sealed class PayloadRestorationTests
{
    private static readonly DateTimeOffset Time = new(2026, 12, 1, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Only_members_GitHub_did_not_send_are_added_and_listed()
    {
        // This trimmed shape kept merged: GitHub's value stays, whatever the answer says.
        var row = new RestorableRow(Time, 1, "PullRequestEvent", """{"action":"closed","number":9,"pull_request":{"number":9,"merged":true}}""", RestoreTarget.PullRequest);
        var answer = new JsonObject { ["title"] = "Faster writes", ["state"] = "closed", ["merged"] = false, ["additions"] = 1, ["deletions"] = 2, ["changed_files"] = 3 };

        var restored = PayloadRestoration.Restore(row, answer);

        Assert.Equal(["pull_request.additions", "pull_request.changed_files", "pull_request.deletions", "pull_request.state", "pull_request.title"], restored.Paths);
        var pullRequest = JsonNode.Parse(restored.Payload!)!["pull_request"]!;
        Assert.True(pullRequest["merged"]!.GetValue<bool>());
        Assert.Equal("Faster writes", pullRequest["title"]!.GetValue<string>());
        Assert.Equal("merged pull request #9: Faster writes", restored.Detail);
    }

    [Fact]
    public void A_push_gets_its_head_commit_and_the_first_line_of_its_message_in_the_detail()
    {
        var row = new RestorableRow(Time, 2, "PushEvent", """{"repository_id":7,"push_id":1,"ref":"refs/tags/v1.2","head":"aa","before":"bb"}""", RestoreTarget.Commit);
        var commit = new JsonObject { ["sha"] = "aa", ["author"] = new JsonObject { ["email"] = "d@example.com", ["name"] = "D" }, ["message"] = "\nRelease 1.2\r\n\nNotes." };

        var restored = PayloadRestoration.Restore(row, commit);

        Assert.Equal(["commits"], restored.Paths);
        Assert.Equal("\nRelease 1.2\r\n\nNotes.", JsonNode.Parse(restored.Payload!)!["commits"]![0]!["message"]!.GetValue<string>());
        Assert.Equal("pushed to tag v1.2: Release 1.2", restored.Detail);
    }
}
