namespace GithubEvents.Enrich.Geocoding;

/// <summary>Where a location is: its country (English name, ISO 3166-1 alpha-2 code in upper case) and a point.</summary>
public sealed record Place(string Country, string CountryCode, double Latitude, double Longitude);

/// <summary>
/// The answer for a location's key: a place, or none (<see cref="Place"/> null: no location, such as "Remote", or
/// nothing found), and who gave it: <see cref="Providers"/>.
/// </summary>
public sealed record GeocodeResult(string Key, Place? Place, string Provider);

/// <summary>The values of <see cref="GeocodeResult.Provider"/> and of <c>locations.provider</c>.</summary>
public static class Providers
{
    /// <summary>The offline gazetteer shipped with Enrich.</summary>
    public const string Gazetteer = "gazetteer";

    public const string Nominatim = "nominatim";

    /// <summary>Not known offline while Nominatim is switched off; asked again once it is on.</summary>
    public const string Unresolved = "unresolved";
}
