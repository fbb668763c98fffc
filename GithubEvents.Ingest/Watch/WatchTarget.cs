namespace GithubEvents.Ingest.Watch;

/// <summary>A watched repository or organisation and the path of its events feed.</summary>
/// <param name="Feed">Relative to <c>GitHub:ApiUrl</c>: <c>repos/{owner}/{name}/events</c> or <c>orgs/{login}/events</c>.</param>
/// <param name="Name"><c>owner/name</c>, or the organisation's login.</param>
public sealed record WatchTarget(string Feed, string Name)
{
    public static WatchTarget Repository(string fullName) => new($"repos/{fullName}/events", fullName);

    public static WatchTarget Organization(string login) => new($"orgs/{login}/events", login);
}
