namespace GithubEvents.Enrich.Profiles;

public enum ActorType
{
    User,
    Organization,
    Bot,
}
