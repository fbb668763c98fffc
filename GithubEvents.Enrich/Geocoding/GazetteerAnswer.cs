namespace GithubEvents.Enrich.Geocoding;

/// <summary>What the gazetteer makes of a key: a place, no location at all, or unknown (Nominatim may know).</summary>
public readonly record struct GazetteerAnswer(bool Known, Place? Place)
{
    public static GazetteerAnswer Unknown => default;

    public static GazetteerAnswer NoLocation => new(true, null);

    public static GazetteerAnswer Found(Place place) => new(true, place);
}
