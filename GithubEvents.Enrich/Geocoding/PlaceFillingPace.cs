namespace GithubEvents.Enrich.Geocoding;

/// <summary>
/// How the place filling waits: the longest wait for new locations, and how often a replica that does not lead asks for
/// the lead again. It follows the profile lookups' pace, so their registration gives it (<c>Profiles:IdleInterval</c>).
/// </summary>
public sealed record PlaceFillingPace(TimeSpan IdleInterval);
