using System.ComponentModel.DataAnnotations;

namespace GithubEvents.Enrich.Profiles;

/// <summary>How actors' GitHub profiles are looked up, bound from <c>Profiles</c> (the row fills' settings: <c>FillOptions</c>).</summary>
public sealed class ProfileOptions
{
    public const string SectionName = "Profiles";

    /// <summary>Off: no profile lookups and no late filling; the write path alone.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>A profile older than this is looked up again.</summary>
    [Range(typeof(TimeSpan), "01:00:00", "365.00:00:00", ErrorMessage = "Profiles:TimeToLive must be between 1 hour and 365 days.")]
    public TimeSpan TimeToLive { get; set; } = TimeSpan.FromDays(7);

    /// <summary>Actors to look up are taken from the events of this last period, most active first.</summary>
    [Range(typeof(TimeSpan), "00:01:00", "7.00:00:00", ErrorMessage = "Profiles:ActivityWindow must be between 1 minute and 7 days.")]
    public TimeSpan ActivityWindow { get; set; } = TimeSpan.FromHours(1);

    /// <summary>
    /// The share of the lookups' budget (of <see cref="GraphQLBudgetShare"/>, or of <see cref="RestBudgetShare"/> through
    /// REST) that the actors of older rows (<c>actor_backlog</c>: a backfilled hour, say) may spend in each budget window;
    /// they are asked for after the recent actors, so that these come first.
    /// </summary>
    [Range(0.0, 1.0, ErrorMessage = "Profiles:BacklogBudgetShare must be between 0 (never) and 1.")]
    public double BacklogBudgetShare { get; set; } = 0.25;

    /// <summary>Logins per GraphQL query (GitHub takes up to 100 aliased lookups in one).</summary>
    [Range(1, 100, ErrorMessage = "Profiles:BatchSize must be between 1 and 100.")]
    public int BatchSize { get; set; } = 100;

    /// <summary>The share of the GraphQL budget (points an hour) the lookups may spend.</summary>
    [Range(0.01, 1.0, ErrorMessage = "Profiles:GraphQLBudgetShare must be between 0.01 and 1.")]
    public double GraphQLBudgetShare { get; set; } = 0.9;

    /// <summary>
    /// The share of the REST (core) budget the fallback may spend. Ingest's poller spends the same token's core budget
    /// (<c>GitHub:BudgetShare</c>), so the two shares should not add up to more than 1.
    /// </summary>
    [Range(0.01, 1.0, ErrorMessage = "Profiles:RestBudgetShare must be between 0.01 and 1.")]
    public double RestBudgetShare { get; set; } = 0.2;

    /// <summary>The GraphQL endpoint; by default derived from <c>GitHub:ApiUrl</c> (<c>/api/v3</c> becomes <c>/api/graphql</c>).</summary>
    public Uri? GraphQLUrl { get; set; }

    /// <summary>
    /// The resolver's wait after a pass that found less than a full batch, and how often a replica that does not lead
    /// asks for the lead again; the place filling waits as long (<c>PlaceFillingPace</c>).
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00", ErrorMessage = "Profiles:IdleInterval must be between 1 second and 1 hour.")]
    public TimeSpan IdleInterval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Actors whose fresh profile is remembered in memory, so that they cost no database lookup.</summary>
    [Range(100, 10_000_000, ErrorMessage = "Profiles:CacheSize must be between 100 and 10000000.")]
    public int CacheSize { get; set; } = 100_000;
}
