using System.Globalization;
using System.Text.Json;

namespace GithubEvents.Enrich.Events;

/// <summary>
/// A short human line for an event ("pushed 2 commits to main", "opened pull request #123", "starred"). Works on the
/// full payloads and on the ones GitHub trims since October 2025 (a PushEvent without commits or size, a
/// PullRequestEvent with little beyond its number), saying less where the payload says less.
/// </summary>
public static class EventDetail
{
    public static string Describe(string type, JsonElement payload) => type switch
    {
        "PushEvent" => Push(payload),
        "PullRequestEvent" => PullRequest(payload),
        "PullRequestReviewEvent" => Review(payload),
        "PullRequestReviewCommentEvent" => Join("commented on a review of pull request", PullRequestNumber(payload)),
        "PullRequestReviewThreadEvent" => Join($"{Action(payload, "updated")} a review thread on pull request", PullRequestNumber(payload)),
        "IssuesEvent" => Join($"{Action(payload, "updated")} issue", Number(Property(payload, "issue"), "number")),
        "IssueCommentEvent" => IssueComment(payload),
        "WatchEvent" => "starred",
        "ForkEvent" => Text(Property(payload, "forkee"), "full_name") is { } fork ? $"forked to {fork}" : "forked",
        "CreateEvent" => Ref("created", payload),
        "DeleteEvent" => Ref("deleted", payload),
        "ReleaseEvent" => Join($"{Action(payload, "published")} release", Text(Property(payload, "release"), "tag_name")),
        "CommitCommentEvent" => Join("commented on commit", ShortSha(Text(Property(payload, "comment"), "commit_id"))),
        "GollumEvent" => Wiki(payload),
        "MemberEvent" => Join($"{Action(payload, "added")} collaborator", Text(Property(payload, "member"), "login")),
        "PublicEvent" => "made the repository public",
        "SponsorshipEvent" => $"{Action(payload, "changed")} a sponsorship",
        "DiscussionEvent" => Join($"{Action(payload, "updated")} discussion", Number(Property(payload, "discussion"), "number")),
        _ => Unknown(type),
    };

    private static string Push(JsonElement payload)
    {
        var target = Text(payload, "ref") switch
        {
            null => null,
            var name when name.StartsWith("refs/heads/", StringComparison.Ordinal) => name["refs/heads/".Length..],
            var name when name.StartsWith("refs/tags/", StringComparison.Ordinal) => $"tag {name["refs/tags/".Length..]}",
            var name => name,
        };
        // Trimmed payloads no longer say how many commits a push carried.
        var commits = Number(payload, "size") is { } size ? $" {size} commit{(size == "1" ? "" : "s")}" : "";
        return target is null ? $"pushed{commits}" : $"pushed{commits} to {target}";
    }

    private static string PullRequest(JsonElement payload)
    {
        var action = Action(payload, "updated");
        if (action == "closed" && Property(payload, "pull_request") is { ValueKind: JsonValueKind.Object } pullRequest
            && pullRequest.TryGetProperty("merged", out var merged) && merged.ValueKind == JsonValueKind.True)
        {
            action = "merged";
        }

        return Join($"{action} pull request", PullRequestNumber(payload));
    }

    private static string Review(JsonElement payload)
    {
        var verb = Text(Property(payload, "review"), "state")?.ToLowerInvariant() switch
        {
            "approved" => "approved",
            "changes_requested" => "requested changes on",
            _ => "reviewed",
        };
        return Join($"{verb} pull request", PullRequestNumber(payload));
    }

    private static string IssueComment(JsonElement payload)
    {
        var issue = Property(payload, "issue");
        var onPullRequest = issue.ValueKind == JsonValueKind.Object && issue.TryGetProperty("pull_request", out _);
        return Join(onPullRequest ? "commented on pull request" : "commented on issue", Number(issue, "number"));
    }

    private static string Ref(string verb, JsonElement payload) => Text(payload, "ref_type") switch
    {
        null => verb,
        "repository" => $"{verb} repository",
        var kind => Join($"{verb} {kind}", Text(payload, "ref")),
    };

    private static string Wiki(JsonElement payload)
    {
        var pages = Property(payload, "pages");
        if (pages.ValueKind != JsonValueKind.Array)
        {
            return "edited the wiki";
        }

        var count = pages.GetArrayLength();
        if (count == 1)
        {
            var page = pages[0];
            return Join($"{Text(page, "action") ?? "edited"} wiki page", Text(page, "title"));
        }

        return $"edited {count} wiki pages";
    }

    private static string Unknown(string type)
    {
        var name = type.EndsWith("Event", StringComparison.Ordinal) ? type[..^"Event".Length] : type;
        return name.ToLowerInvariant();
    }

    private static string? PullRequestNumber(JsonElement payload) =>
        Number(payload, "number") ?? Number(Property(payload, "pull_request"), "number");

    private static string Action(JsonElement payload, string fallback) => Text(payload, "action") ?? fallback;

    private static string Join(string phrase, string? subject) => subject is null ? phrase : $"{phrase} {FormatSubject(phrase, subject)}";

    private static string FormatSubject(string phrase, string subject) =>
        phrase.EndsWith("request", StringComparison.Ordinal) || phrase.EndsWith("issue", StringComparison.Ordinal)
        || phrase.EndsWith("discussion", StringComparison.Ordinal)
            ? $"#{subject}"
            : subject;

    private static string? ShortSha(string? sha) => sha is { Length: > 7 } ? sha[..7] : sha;

    private static JsonElement Property(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) ? value : default;

    private static string? Text(JsonElement element, string name) =>
        Property(element, name) is { ValueKind: JsonValueKind.String } value && value.GetString() is { Length: > 0 } text ? text : null;

    private static string? Number(JsonElement element, string name) =>
        Property(element, name) is { ValueKind: JsonValueKind.Number } value && value.TryGetInt64(out var number)
            ? number.ToString(CultureInfo.InvariantCulture)
            : null;
}
