using System.Globalization;

namespace GithubEvents.Enrich.Events;

/// <summary>
/// A short human line for an event ("pushed 2 commits to main", "opened pull request #123", "starred"). Works on the
/// full payloads and on the ones GitHub trims since October 2025 (a PushEvent without commits or size, a
/// PullRequestEvent with little beyond its number), saying less where the payload says less.
/// </summary>
public static class EventDetail
{
    public static string Describe(string type, PayloadFacts payload) => type switch
    {
        "PushEvent" => Push(payload),
        "PullRequestEvent" => PullRequest(payload),
        "PullRequestReviewEvent" => Review(payload),
        "PullRequestReviewCommentEvent" => Join("commented on a review of pull request", PullRequestNumber(payload)),
        "PullRequestReviewThreadEvent" => Join($"{Action(payload, "updated")} a review thread on pull request", PullRequestNumber(payload)),
        "IssuesEvent" => Join($"{Action(payload, "updated")} issue", Text(payload.IssueNumber)),
        "IssueCommentEvent" => Join(payload.IssueIsPullRequest ? "commented on pull request" : "commented on issue", Text(payload.IssueNumber)),
        "WatchEvent" => "starred",
        "ForkEvent" => payload.ForkFullName is { } fork ? $"forked to {fork}" : "forked",
        "CreateEvent" => Ref("created", payload),
        "DeleteEvent" => Ref("deleted", payload),
        "ReleaseEvent" => Join($"{Action(payload, "published")} release", payload.ReleaseTag),
        "CommitCommentEvent" => Join("commented on commit", ShortSha(payload.CommentCommitId)),
        "GollumEvent" => Wiki(payload),
        "MemberEvent" => Join($"{Action(payload, "added")} collaborator", payload.MemberLogin),
        "PublicEvent" => "made the repository public",
        "SponsorshipEvent" => $"{Action(payload, "changed")} a sponsorship",
        "DiscussionEvent" => Join($"{Action(payload, "updated")} discussion", Text(payload.DiscussionNumber)),
        _ => Unknown(type),
    };

    private static string Push(PayloadFacts payload)
    {
        var target = payload.Ref switch
        {
            null => null,
            var name when name.StartsWith("refs/heads/", StringComparison.Ordinal) => name["refs/heads/".Length..],
            var name when name.StartsWith("refs/tags/", StringComparison.Ordinal) => $"tag {name["refs/tags/".Length..]}",
            var name => name,
        };
        // Trimmed payloads no longer say how many commits a push carried.
        var commits = payload.Size is { } size ? $" {size} commit{(size == 1 ? "" : "s")}" : "";
        return target is null ? $"pushed{commits}" : $"pushed{commits} to {target}";
    }

    private static string PullRequest(PayloadFacts payload)
    {
        var action = Action(payload, "updated");
        if (action == "closed" && payload.PullRequestMerged)
        {
            action = "merged";
        }

        return Join($"{action} pull request", PullRequestNumber(payload));
    }

    private static string Review(PayloadFacts payload)
    {
        var verb = payload.ReviewState?.ToLowerInvariant() switch
        {
            "approved" => "approved",
            "changes_requested" => "requested changes on",
            _ => "reviewed",
        };
        return Join($"{verb} pull request", PullRequestNumber(payload));
    }

    private static string Ref(string verb, PayloadFacts payload) => payload.RefType switch
    {
        null => verb,
        "repository" => $"{verb} repository",
        var kind => Join($"{verb} {kind}", payload.Ref),
    };

    private static string Wiki(PayloadFacts payload) => payload.PageCount switch
    {
        null => "edited the wiki",
        1 => Join($"{payload.FirstPageAction ?? "edited"} wiki page", payload.FirstPageTitle),
        var count => $"edited {count} wiki pages",
    };

    private static string Unknown(string type)
    {
        var name = type.EndsWith("Event", StringComparison.Ordinal) ? type[..^"Event".Length] : type;
        return name.ToLowerInvariant();
    }

    private static string? PullRequestNumber(PayloadFacts payload) => Text(payload.Number ?? payload.PullRequestNumber);

    private static string Action(PayloadFacts payload, string fallback) => payload.Action ?? fallback;

    private static string Join(string phrase, string? subject) => subject is null ? phrase : $"{phrase} {FormatSubject(phrase, subject)}";

    private static string FormatSubject(string phrase, string subject) =>
        phrase.EndsWith("request", StringComparison.Ordinal) || phrase.EndsWith("issue", StringComparison.Ordinal)
        || phrase.EndsWith("discussion", StringComparison.Ordinal)
            ? $"#{subject}"
            : subject;

    private static string? ShortSha(string? sha) => sha is { Length: > 7 } ? sha[..7] : sha;

    private static string? Text(long? number) => number?.ToString(CultureInfo.InvariantCulture);
}
