using System.ComponentModel.DataAnnotations;

namespace GithubEvents.Enrich.Filling;

/// <summary>How stored rows are filled in once their actor's profile or place is known, bound from <c>Profiles</c>.</summary>
public sealed class FillOptions
{
    public const string SectionName = "Profiles";

    /// <summary>Rows this recent are filled in when their actor's profile or place becomes known.</summary>
    [Range(typeof(TimeSpan), "00:01:00", "7.00:00:00", ErrorMessage = "Profiles:FillWindow must be between 1 minute and 7 days.")]
    public TimeSpan FillWindow { get; set; } = TimeSpan.FromHours(24);

    /// <summary>How often the late filling goes over the rows of the last two intervals (the whole fill window when it takes the lead).</summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00", ErrorMessage = "Profiles:FillInterval must be between 1 second and 1 day.")]
    public TimeSpan FillInterval { get; set; } = TimeSpan.FromMinutes(5);
}
