namespace GithubEvents.Enrich.Geocoding;

/// <summary>Where a location is: its country (English name, ISO 3166-1 alpha-2 code in upper case) and a point.</summary>
public sealed record Place(string Country, string CountryCode, double Latitude, double Longitude);
