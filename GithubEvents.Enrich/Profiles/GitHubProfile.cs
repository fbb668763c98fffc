using GithubEvents.Enrich.Events;

namespace GithubEvents.Enrich.Profiles;

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
    /// <summary>The type GitHub reported, unless the login says bot.</summary>
    public static ActorType TypeOf(string login, ActorType reported) => BotLogin.Is(login) ? ActorType.Bot : reported;

    public static GitHubProfile Bot(long id, string login) => new(id, login, ActorType.Bot);
}
