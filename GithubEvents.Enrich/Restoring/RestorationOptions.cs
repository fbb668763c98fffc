using System.ComponentModel.DataAnnotations;

namespace GithubEvents.Enrich.Restoring;

/// <summary>
/// How the trimmed payloads of the watched repositories' events are restored through GraphQL, bound from
/// <c>Restoration</c>. It runs beside the profile lookups, on the same token: <c>Profiles:Enabled=false</c> turns it off too.
/// </summary>
public sealed class RestorationOptions
{
    public const string SectionName = "Restoration";

    /// <summary>Off: trimmed payloads stay as GitHub sent them.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>
    /// The share of the GraphQL budget (points an hour) the restorations may spend; the profile lookups have
    /// <c>Profiles:GraphQLBudgetShare</c>, and the two together must not exceed 1.
    /// </summary>
    [Range(0.01, 1.0, ErrorMessage = "Restoration:GraphQLBudgetShare must be between 0.01 and 1.")]
    public double GraphQLBudgetShare { get; set; } = 0.1;

    /// <summary>Commits and pull requests asked for in one GraphQL query.</summary>
    [Range(1, 100, ErrorMessage = "Restoration:BatchSize must be between 1 and 100.")]
    public int BatchSize { get; set; } = 100;

    /// <summary>Events this recent are restored; older ones stay as they are.</summary>
    [Range(typeof(TimeSpan), "00:01:00", "7.00:00:00", ErrorMessage = "Restoration:Window must be between 1 minute and 7 days.")]
    public TimeSpan Window { get; set; } = TimeSpan.FromHours(24);

    /// <summary>The wait after a pass that found nothing more to ask for, and how often a replica that does not lead asks for the lead.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00", ErrorMessage = "Restoration:IdleInterval must be between 1 second and 1 hour.")]
    public TimeSpan IdleInterval { get; set; } = TimeSpan.FromMinutes(1);
}
