namespace GithubEvents.Enrich.Events;

/// <summary>
/// GitHub Apps act as <c>name[bot]</c>, always in lower case; such logins are bots whatever else is known. The one rule
/// for the events' <c>is_bot</c> and for the profiles, and the same as the actors table's
/// (<c>right(login, 5) = '[bot]'</c> in <c>0005_profiles.sql</c>): case-sensitive.
/// </summary>
public static class BotLogin
{
    public static bool Is(string login) => login.EndsWith("[bot]", StringComparison.Ordinal);
}
