namespace GithubEvents.Enrich.Restoring;

/// <summary>
/// A commit (<see cref="Commit"/>, by its sha) or a pull request (<see cref="PullRequest"/>, by its number) of a
/// repository (<c>owner/name</c>), whose details trimmed events lack.
/// </summary>
public sealed record RestoreTarget(string Repo, string Kind, string Key)
{
    public const string Commit = "commit";
    public const string PullRequest = "pull_request";
}
