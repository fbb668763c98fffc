using System.ComponentModel.DataAnnotations;
using System.Text.RegularExpressions;

namespace GithubEvents.Enrich.Geocoding;

/// <summary>
/// Geocoding settings, bound from <c>Geocoding</c>. Nominatim is asked only when <see cref="UserAgent"/> is set:
/// its usage policy wants every application identified, with a contact, and there is no honest default for that.
/// </summary>
public sealed partial class GeocodingOptions : IValidatableObject
{
    public const string SectionName = "Geocoding";

    /// <summary>Nominatim's root (a self-hosted server's, say); empty: offline only.</summary>
    public Uri? NominatimUrl { get; set; } = new("https://nominatim.openstreetmap.org/");

    /// <summary>The User-Agent sent to Nominatim: the application and a contact, e.g. <c>GithubEvents/1.0 (ops@example.org)</c>.</summary>
    public string? UserAgent { get; set; }

    /// <summary>The shortest time between two requests to Nominatim, across all replicas together.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00", ErrorMessage = "Geocoding:RequestInterval must be between 1 second and 1 hour (Nominatim allows one request a second).")]
    public TimeSpan RequestInterval { get; set; } = TimeSpan.FromSeconds(1);

    [Range(typeof(TimeSpan), "00:00:01", "00:01:00", ErrorMessage = "Geocoding:RequestTimeout must be between 1 second and 1 minute.")]
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>The first pause after 429, 5xx or the block page (unless Retry-After says longer); it doubles while they last.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00", ErrorMessage = "Geocoding:BackoffDelay must be between 1 second and 1 day.")]
    public TimeSpan BackoffDelay { get; set; } = TimeSpan.FromMinutes(1);

    [Range(typeof(TimeSpan), "00:00:01", "7.00:00:00", ErrorMessage = "Geocoding:MaxBackoffDelay must be between 1 second and 7 days.")]
    public TimeSpan MaxBackoffDelay { get; set; } = TimeSpan.FromHours(1);

    /// <summary>
    /// How long a location Nominatim refused (a 4xx for it, or a 5xx, timeout or unreadable answer while Nominatim answered
    /// the request before) is set aside; it doubles with each refusal of that location.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:01", "7.00:00:00", ErrorMessage = "Geocoding:LocationBackoffDelay must be between 1 second and 7 days.")]
    public TimeSpan LocationBackoffDelay { get; set; } = TimeSpan.FromHours(1);

    [Range(typeof(TimeSpan), "00:00:01", "30.00:00:00", ErrorMessage = "Geocoding:MaxLocationBackoffDelay must be between 1 second and 30 days.")]
    public TimeSpan MaxLocationBackoffDelay { get; set; } = TimeSpan.FromDays(7);

    /// <summary>The refusals after which a location is answered as unresolvable and not asked about again.</summary>
    [Range(1, 100, ErrorMessage = "Geocoding:MaxLocationRefusals must be between 1 and 100.")]
    public int MaxLocationRefusals { get; set; } = 6;

    /// <summary>
    /// A Nominatim match whose name and address cover less than half of the query's words is kept only with at least
    /// this importance (0 to 1): a long institution's name must not land on a village.
    /// </summary>
    [Range(0.0, 1.0, ErrorMessage = "Geocoding:MinImportance must be between 0 and 1.")]
    public double MinImportance { get; set; } = 0.45;

    /// <summary>Answers kept in memory in front of the locations table.</summary>
    [Range(100, 10_000_000, ErrorMessage = "Geocoding:CacheSize must be between 100 and 10000000.")]
    public int CacheSize { get; set; } = 100_000;

    public bool UsesNominatim => HasNominatimUrl && !string.IsNullOrWhiteSpace(UserAgent);

    private bool HasNominatimUrl => NominatimUrl is { OriginalString.Length: > 0 };

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (HasNominatimUrl && NominatimUrl is { } url && (!url.IsAbsoluteUri || url.Scheme is not ("http" or "https")))
        {
            yield return new ValidationResult("Geocoding:NominatimUrl must be an absolute http(s) URL, e.g. https://nominatim.openstreetmap.org/.", [nameof(NominatimUrl)]);
        }

        if (!string.IsNullOrWhiteSpace(UserAgent) && !Contact().IsMatch(UserAgent))
        {
            yield return new ValidationResult(
                "Geocoding:UserAgent must name the application and a contact (an e-mail address or an http(s) URL), " +
                "e.g. 'GithubEvents/1.0 (ops@example.org)', as Nominatim's usage policy asks.", [nameof(UserAgent)]);
        }

        if (MaxBackoffDelay < BackoffDelay)
        {
            yield return new ValidationResult("Geocoding:MaxBackoffDelay must not be shorter than Geocoding:BackoffDelay.", [nameof(MaxBackoffDelay)]);
        }

        if (MaxLocationBackoffDelay < LocationBackoffDelay)
        {
            yield return new ValidationResult("Geocoding:MaxLocationBackoffDelay must not be shorter than Geocoding:LocationBackoffDelay.", [nameof(MaxLocationBackoffDelay)]);
        }
    }

    [GeneratedRegex(@"[^\s@()<>]+@[^\s@()<>]+\.[^\s@()<>]+|https?://\S+")]
    private static partial Regex Contact();
}
