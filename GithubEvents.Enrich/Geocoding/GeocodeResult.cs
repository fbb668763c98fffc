namespace GithubEvents.Enrich.Geocoding;

/// <summary>
/// The answer for a location's key: a place, or none (<see cref="Place"/> null: no location, such as "Remote", or
/// nothing found), and who gave it: <see cref="Providers"/>.
/// </summary>
public sealed record GeocodeResult(string Key, Place? Place, string Provider);
