namespace GithubEvents.Enrich.Geocoding;

/// <summary>Whose trouble a Nominatim request that brought no answer is: the one query's, Nominatim's, or either.</summary>
public enum NominatimTrouble
{
    /// <summary>Nominatim answered (a place, nothing, or an implausible match).</summary>
    None,

    /// <summary>A 4xx other than 429 with Nominatim's JSON: Nominatim is up and refuses this query.</summary>
    Query,

    /// <summary>A 5xx, a timeout, a failed connection or an unreadable answer: this query's trouble or Nominatim's.</summary>
    Failed,

    /// <summary>Rate-limited (429) or blocked (the HTML page): Nominatim's, for every query.</summary>
    Overloaded,
}
