namespace GithubEvents.Enrich.Geocoding;

/// <summary>
/// Nominatim's reply to one search. Without <see cref="Trouble"/>, <see cref="Place"/> is the answer, null when nothing
/// was found or the match was implausible; otherwise the search brought no answer (see <see cref="NominatimTrouble"/>).
/// </summary>
public sealed record NominatimReply(string Outcome, Place? Place, NominatimTrouble Trouble = NominatimTrouble.None, TimeSpan? RetryAfter = null)
{
    /// <summary>Nominatim may be in trouble: every replica pauses before the next request.</summary>
    public bool SlowsThePace => Trouble is NominatimTrouble.Failed or NominatimTrouble.Overloaded;
}
