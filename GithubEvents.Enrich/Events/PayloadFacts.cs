using System.Text.Json;
using GithubEvents.ServiceDefaults.Json;

namespace GithubEvents.Enrich.Events;

/// <summary>
/// The few payload fields the detail line is made of, read in the same pass that reads the event; everything
/// else in the payload (commits, pull request bodies) is skipped without being materialised.
/// </summary>
public sealed class PayloadFacts
{
    public string? Action { get; private set; }

    public string? Ref { get; private set; }

    public string? RefType { get; private set; }

    public long? Size { get; private set; }

    public long? Number { get; private set; }

    public long? PullRequestNumber { get; private set; }

    public bool PullRequestMerged { get; private set; }

    public string? ReviewState { get; private set; }

    public long? IssueNumber { get; private set; }

    public bool IssueIsPullRequest { get; private set; }

    public string? ForkFullName { get; private set; }

    public string? ReleaseTag { get; private set; }

    public string? CommentCommitId { get; private set; }

    public string? MemberLogin { get; private set; }

    public long? DiscussionNumber { get; private set; }

    /// <summary>How many wiki pages a GollumEvent touched; null when the payload has no <c>pages</c> array.</summary>
    public int? PageCount { get; private set; }

    public string? FirstPageAction { get; private set; }

    public string? FirstPageTitle { get; private set; }

    /// <summary>Reads the payload object the reader is positioned on, leaving the reader on its end.</summary>
    public static PayloadFacts Read(ref Utf8JsonReader reader)
    {
        var facts = new PayloadFacts();
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.NameIs("action"u8)) facts.Action = reader.NextText();
            else if (reader.NameIs("ref"u8)) facts.Ref = reader.NextText();
            else if (reader.NameIs("ref_type"u8)) facts.RefType = reader.NextText();
            else if (reader.NameIs("size"u8)) facts.Size = reader.NextNumber();
            else if (reader.NameIs("number"u8)) facts.Number = reader.NextNumber();
            else if (reader.NameIs("pull_request"u8)) facts.ReadPullRequest(ref reader);
            else if (reader.NameIs("review"u8)) facts.ReviewState = reader.NextMemberText("state"u8);
            else if (reader.NameIs("issue"u8)) facts.ReadIssue(ref reader);
            else if (reader.NameIs("forkee"u8)) facts.ForkFullName = reader.NextMemberText("full_name"u8);
            else if (reader.NameIs("release"u8)) facts.ReleaseTag = reader.NextMemberText("tag_name"u8);
            else if (reader.NameIs("comment"u8)) facts.CommentCommitId = reader.NextMemberText("commit_id"u8);
            else if (reader.NameIs("member"u8)) facts.MemberLogin = reader.NextMemberText("login"u8);
            else if (reader.NameIs("discussion"u8)) facts.DiscussionNumber = reader.NextMemberNumber("number"u8);
            else if (reader.NameIs("pages"u8)) facts.ReadPages(ref reader);
            else reader.SkipNext();
        }

        return facts;
    }

    private void ReadPullRequest(ref Utf8JsonReader reader)
    {
        if (!reader.NextIsObject())
        {
            return;
        }

        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.NameIs("number"u8)) PullRequestNumber = reader.NextNumber();
            else if (reader.NameIs("merged"u8)) PullRequestMerged = reader.NextIsTrue();
            else reader.SkipNext();
        }
    }

    private void ReadIssue(ref Utf8JsonReader reader)
    {
        if (!reader.NextIsObject())
        {
            return;
        }

        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.NameIs("number"u8))
            {
                IssueNumber = reader.NextNumber();
                continue;
            }

            // Issue comments on pull requests carry an issue.pull_request member, whatever its value.
            IssueIsPullRequest |= reader.NameIs("pull_request"u8);
            reader.SkipNext();
        }
    }

    private void ReadPages(ref Utf8JsonReader reader)
    {
        reader.Read();
        if (reader.TokenType != JsonTokenType.StartArray)
        {
            reader.Skip();
            return;
        }

        var count = 0;
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            if (count++ == 0 && reader.TokenType == JsonTokenType.StartObject)
            {
                while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
                {
                    if (reader.NameIs("action"u8)) FirstPageAction = reader.NextText();
                    else if (reader.NameIs("title"u8)) FirstPageTitle = reader.NextText();
                    else reader.SkipNext();
                }
            }
            else
            {
                reader.Skip();
            }
        }

        PageCount = count;
    }
}
