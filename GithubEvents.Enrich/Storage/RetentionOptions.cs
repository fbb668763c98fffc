using System.ComponentModel.DataAnnotations;

namespace GithubEvents.Enrich.Storage;

/// <summary>
/// How long each relation besides <c>events</c> (<c>Storage:Retention</c>) keeps its rows, bound from <c>Retention</c>.
/// docs/storage.md gives the bytes a day of each at the budget's rate and the disk a setting takes.
/// </summary>
public sealed class RetentionOptions : IValidatableObject
{
    public const string SectionName = "Retention";

    /// <summary>Per minute and type: the dashboard's rates and coverage.</summary>
    public TimeSpan EventStats1m { get; set; } = TimeSpan.FromDays(30);

    /// <summary>Per 5 minutes and type.</summary>
    public TimeSpan EventStats5m { get; set; } = TimeSpan.FromDays(180);

    /// <summary>Per 5 minutes and country.</summary>
    public TimeSpan CountryStats5m { get; set; } = TimeSpan.FromDays(90);

    /// <summary>Per 5 minutes and set of sources: the completeness figures.</summary>
    public TimeSpan CaptureStats5m { get; set; } = TimeSpan.FromDays(365);

    /// <summary>Per 5 minutes and watched repository.</summary>
    public TimeSpan WatchStats5m { get; set; } = TimeSpan.FromDays(90);

    /// <summary>Each actor's hours: logins with their country and company, personal data as the events are. Unset: <c>Storage:Retention</c>.</summary>
    public TimeSpan? ActorStats1h { get; set; }

    /// <summary>Each repository's hours: the largest aggregate with <c>actor_stats_1h</c>. Unset: <c>Storage:Retention</c>.</summary>
    public TimeSpan? RepoStats1h { get; set; }

    /// <summary>
    /// Ingest's figures per minute (<c>ingest_polls</c>, <c>watch_polls</c>), Enrich's (<c>pipeline_minutes</c>) and Kafka's
    /// gaps (<c>kafka_gaps</c>), read with <c>capture_stats_5m</c> by the completeness views and by the alert rules.
    /// </summary>
    public TimeSpan Polls { get; set; } = TimeSpan.FromDays(180);

    /// <summary>GitHub's answers for restored payloads; one asked again after this is only asked for once more.</summary>
    public TimeSpan RestoredObjects { get; set; } = TimeSpan.FromDays(7);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        foreach (var (name, value) in new[]
                 {
                     (nameof(EventStats1m), EventStats1m), (nameof(EventStats5m), EventStats5m), (nameof(CountryStats5m), CountryStats5m),
                     (nameof(CaptureStats5m), CaptureStats5m), (nameof(WatchStats5m), WatchStats5m), (nameof(ActorStats1h), ActorStats1h),
                     (nameof(RepoStats1h), RepoStats1h), (nameof(Polls), Polls), (nameof(RestoredObjects), RestoredObjects),
                 })
        {
            if (value is { } kept && (kept < TimeSpan.FromDays(1) || kept > TimeSpan.FromDays(3650)))
            {
                yield return new ValidationResult($"{SectionName}:{name} must be between 1 day and 10 years, not '{kept}'.", [name]);
            }
        }
    }

    /// <summary>Each aggregate with its retention, by the continuous aggregate's (or plain view's) name.</summary>
    public IEnumerable<(string Aggregate, TimeSpan Retention)> Aggregates(StorageOptions storage) =>
    [
        ("event_stats_1m", EventStats1m), ("event_stats_5m", EventStats5m), ("country_stats_5m", CountryStats5m),
        ("capture_stats_5m", CaptureStats5m), ("watch_stats_5m", WatchStats5m), ("actor_stats_1h", ActorStats1h ?? storage.Retention),
        ("repo_stats_1h", RepoStats1h ?? storage.Retention),
    ];

    /// <summary>
    /// The plain tables that grow with time and their retention, as <c>drop_expired_rows</c> names them: the backlog,
    /// profiles and places keep what the events within <c>Storage:Retention</c> still name.
    /// </summary>
    public IEnumerable<(string Table, TimeSpan Retention)> Tables(StorageOptions storage) =>
    [
        ("ingest_polls", Polls), ("watch_polls", Polls), ("pipeline_minutes", Polls), ("kafka_gaps", Polls), ("restored_objects", RestoredObjects),
        ("actor_backlog", storage.Retention), ("actors", storage.Retention), ("locations", storage.Retention),
    ];
}
