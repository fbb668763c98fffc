using System.ComponentModel.DataAnnotations;

namespace GithubEvents.Enrich.Geocoding;

/// <summary>How the place filling waits, bound from <c>Profiles</c>: it follows the profile lookups' pace.</summary>
public sealed class PlaceFillingOptions
{
    public const string SectionName = "Profiles";

    /// <summary>The longest wait for new locations, and how often a replica that does not lead asks for the lead again.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00", ErrorMessage = "Profiles:IdleInterval must be between 1 second and 1 hour.")]
    public TimeSpan IdleInterval { get; set; } = TimeSpan.FromMinutes(1);
}
