using System.ComponentModel.DataAnnotations;

namespace GithubEvents.Enrich.Storage;

/// <summary>How events are kept, bound from <c>Storage</c>. The intervals are applied at every start-up.</summary>
public sealed class StorageOptions : IValidatableObject
{
    public const string SectionName = "Storage";

    public TimescaleDbUse TimescaleDb { get; set; } = TimescaleDbUse.Auto;

    /// <summary>The time range of one hypertable chunk (TimescaleDB only).</summary>
    public TimeSpan ChunkInterval { get; set; } = TimeSpan.FromHours(6);

    /// <summary>Chunks older than this are compressed (TimescaleDB only).</summary>
    public TimeSpan CompressAfter { get; set; } = TimeSpan.FromHours(12);

    /// <summary>Events older than this are dropped.</summary>
    public TimeSpan Retention { get; set; } = TimeSpan.FromDays(5);

    /// <summary>How often the aggregates are materialised.</summary>
    public TimeSpan AggregateRefreshInterval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Buckets newer than this are left to real-time aggregation, so late events still land in them cheaply.</summary>
    public TimeSpan AggregateRefreshLag { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>How often the 24 hours' busiest repositories, actors and countries are ranked (<c>refresh_top_24h</c>).</summary>
    public TimeSpan RankingRefreshInterval { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>
    /// How far back a refresh picks up changed buckets (late events, filled-in rows); defaults to the retention. At least
    /// <c>Profiles:FillWindow</c> while profiles are on (checked where they are registered).
    /// </summary>
    public TimeSpan? AggregateRefreshWindow { get; set; }

    /// <summary>How often the retention of the tables runs (of events and the aggregates too without TimescaleDB).</summary>
    public TimeSpan RetentionInterval { get; set; } = TimeSpan.FromHours(1);

    /// <summary>
    /// The longest one statement of the maintenance without TimescaleDB (a refresh slice, the ranking, a retention slice) may
    /// run before it is cancelled and logged as a timeout.
    /// </summary>
    public TimeSpan MaintenanceTimeout { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// The longest each statement of a batch's write (staging, copy, insert; its poll figures and Kafka gaps) may run
    /// before it is cancelled; the consumer logs it as a timeout and writes the batch again after its back-off.
    /// </summary>
    public TimeSpan WriteTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long a migration waits for a lock (on <c>events</c>, say) before it gives up and the setup tries again.</summary>
    public TimeSpan MigrationLockTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Keeps commit authors' e-mail addresses in stored payloads as GitHub sent them; by default they are hashed as GH
    /// Archive hashes them (<see cref="Events.EmailAddressHashing"/>).
    /// </summary>
    public bool KeepEmailAddresses { get; set; }

    /// <summary>
    /// The size in bytes of the disk that holds the database (the Kubernetes claim's, say), which PostgreSQL cannot see:
    /// Enrich writes it with its figures (<c>pipeline_minutes.disk_bytes</c>) for the disk headroom alert. Unset: no
    /// headroom is known and that alert stays quiet.
    /// </summary>
    [Range(1, long.MaxValue, ErrorMessage = "Storage:DiskBytes must be a positive number of bytes.")]
    public long? DiskBytes { get; set; }

    public TimeSpan EffectiveRefreshWindow => AggregateRefreshWindow ?? Retention;

    /// <summary><see cref="WriteTimeout"/> as a command timeout: whole seconds, rounded up.</summary>
    public int WriteTimeoutSeconds => (int)Math.Ceiling(WriteTimeout.TotalSeconds);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        foreach (var (name, value) in new[]
                 {
                     (nameof(ChunkInterval), ChunkInterval), (nameof(CompressAfter), CompressAfter), (nameof(Retention), Retention),
                     (nameof(AggregateRefreshInterval), AggregateRefreshInterval), (nameof(RetentionInterval), RetentionInterval),
                     (nameof(RankingRefreshInterval), RankingRefreshInterval), (nameof(MaintenanceTimeout), MaintenanceTimeout),
                     (nameof(MigrationLockTimeout), MigrationLockTimeout), (nameof(WriteTimeout), WriteTimeout),
                     (nameof(AggregateRefreshWindow), EffectiveRefreshWindow),
                 })
        {
            if (value <= TimeSpan.Zero)
            {
                yield return new ValidationResult($"{SectionName}:{name} must be a positive time span, not '{value}'.", [name]);
            }
        }

        if (AggregateRefreshLag < TimeSpan.Zero)
        {
            yield return new ValidationResult($"{SectionName}:{nameof(AggregateRefreshLag)} must not be negative.", [nameof(AggregateRefreshLag)]);
        }

        // TimescaleDB refuses a refresh window that does not cover two of the widest (one-hour) buckets.
        if (EffectiveRefreshWindow - AggregateRefreshLag < TimeSpan.FromHours(2))
        {
            yield return new ValidationResult(
                $"{SectionName}:{nameof(AggregateRefreshWindow)} must reach at least two hours further back than {SectionName}:{nameof(AggregateRefreshLag)}.",
                [nameof(AggregateRefreshWindow)]);
        }
    }
}
