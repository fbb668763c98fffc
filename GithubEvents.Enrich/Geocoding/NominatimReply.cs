namespace GithubEvents.Enrich.Geocoding;

/// <summary>
/// Nominatim's reply to one search. <see cref="Refused"/>: rate-limited (429), failed (5xx, timeout, network) or
/// blocked (the HTML page); ask again after a back-off. Otherwise <see cref="Place"/> is the answer, null when
/// nothing was found or the match was implausible.
/// </summary>
public sealed record NominatimReply(string Outcome, Place? Place, bool Refused = false, TimeSpan? RetryAfter = null);
