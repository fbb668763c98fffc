using System.ComponentModel.DataAnnotations;

namespace GithubEvents.Enrich.Archive;

/// <summary>The hourly archive of events (docs/archive.md), bound from <c>Archive</c>.</summary>
public sealed class ArchiveOptions
{
    public const string SectionName = "Archive";

    /// <summary>
    /// Writes every settled hour to the archive. Off: nothing is written, and retention drops events whether they were
    /// archived or not.
    /// </summary>
    public bool Enabled { get; set; } = true;

    /// <summary>The archive's folder; a relative path is taken from the working directory.</summary>
    [Required(AllowEmptyStrings = false, ErrorMessage = "Archive:Path must name a folder.")]
    public string Path { get; set; } = "archive";

    /// <summary>How long after an hour ends it is exported: what the feed's lag and the pipeline's delays still bring in.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "1.00:00:00", ErrorMessage = "Archive:SettleDelay must be between 0 and 1 day.")]
    public TimeSpan SettleDelay { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>Events one statement reads; each slice of an hour is a short query of its own.</summary>
    [Range(100, 1_000_000, ErrorMessage = "Archive:ReadRows must be between 100 and 1000000.")]
    public int ReadRows { get; set; } = 10_000;

    /// <summary>Events in one Parquet row group, whose columns are held in memory until it is written (about 5 KB an event).</summary>
    [Range(1_000, 1_000_000, ErrorMessage = "Archive:RowGroupRows must be between 1000 and 1000000.")]
    public int RowGroupRows { get; set; } = 10_000;

    /// <summary>How often an exported hour still in the database is checked for changed rows, to export it again as the next revision.</summary>
    [Range(typeof(TimeSpan), "00:01:00", "7.00:00:00", ErrorMessage = "Archive:RecheckInterval must be between 1 minute and 7 days.")]
    public TimeSpan RecheckInterval { get; set; } = TimeSpan.FromHours(6);

    /// <summary>The shortest <c>Storage:Retention</c> the archive allows: the hour, its settle delay, and an hour to export it.</summary>
    public TimeSpan ShortestRetention => SettleDelay + TimeSpan.FromHours(2);
}
