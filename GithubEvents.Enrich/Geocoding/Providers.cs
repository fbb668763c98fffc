namespace GithubEvents.Enrich.Geocoding;

/// <summary>The values of <see cref="GeocodeResult.Provider"/> and of <c>locations.provider</c>.</summary>
public static class Providers
{
    /// <summary>The offline gazetteer shipped with Enrich.</summary>
    public const string Gazetteer = "gazetteer";

    public const string Nominatim = "nominatim";

    /// <summary>Not known offline while Nominatim is switched off; asked again once it is on.</summary>
    public const string Unresolved = "unresolved";

    /// <summary>Refused by Nominatim <c>Geocoding:MaxLocationRefusals</c> times (the reason is in <c>location_refusals</c>); not asked again.</summary>
    public const string Unresolvable = "unresolvable";
}
