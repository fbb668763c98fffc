using System.ComponentModel.DataAnnotations;

namespace GithubEvents.Ingest.Archive;

/// <summary>Where the backfill reads GH Archive and where it records finished hours, bound from <c>GhArchive</c>.</summary>
public sealed class GhArchiveOptions
{
    public const string SectionName = "GhArchive";

    /// <summary>Serves hourly files named <c>YYYY-MM-DD-H.json.gz</c>.</summary>
    [Required(ErrorMessage = "GhArchive:Url must be the archive's absolute URL, e.g. https://data.gharchive.org.")]
    public Uri Url { get; set; } = new("https://data.gharchive.org");

    /// <summary>One line per finished hour; a restarted backfill skips the hours listed.</summary>
    [Required(ErrorMessage = "GhArchive:ProgressFile must name the file that records finished hours.")]
    public string ProgressFile { get; set; } = "gharchive-progress.txt";

    [Range(typeof(TimeSpan), "00:00:00.100", "01:00:00", ErrorMessage = "GhArchive:ProgressInterval must be between 0.1 s and an hour.")]
    public TimeSpan ProgressInterval { get; set; } = TimeSpan.FromSeconds(5);
}
