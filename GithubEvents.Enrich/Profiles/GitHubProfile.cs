namespace GithubEvents.Enrich.Profiles;

public enum ActorType
{
    User,
    Organization,
    Bot,
}

/// <summary>What GitHub tells about an account, from GraphQL or REST alike.</summary>
public sealed record GitHubProfile(
    long Id,
    string Login,
    ActorType Type,
    string? Name = null,
    string? Company = null,
    string? Location = null,
    int? PublicRepos = null,
    int? Followers = null,
    DateTimeOffset? CreatedAt = null)
{
    /// <summary>
    /// GitHub Apps act as <c>name[bot]</c>, always in lower case; such logins are bots whatever else is known. The one
    /// rule for the events' <c>is_bot</c> and for the profiles, and the same as the actors table's
    /// (<c>right(login, 5) = '[bot]'</c> in <c>0005_profiles.sql</c>): case-sensitive.
    /// </summary>
    public static bool IsBotLogin(string login) => login.EndsWith("[bot]", StringComparison.Ordinal);

    /// <summary>The type GitHub reported, unless the login says bot.</summary>
    public static ActorType TypeOf(string login, ActorType reported) => IsBotLogin(login) ? ActorType.Bot : reported;

    public static GitHubProfile Bot(long id, string login) => new(id, login, ActorType.Bot);
}

/// <summary>An actor seen in recent events that has no fresh profile; <see cref="ETag"/> from its last REST lookup.</summary>
public sealed record PendingActor(long Id, string Login, string? ETag);
