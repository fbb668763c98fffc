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

    /// <summary>
    /// The longest line read: a real event is at most a few MB (a push of 20 commits with its messages, a pull request
    /// with its body), so a longer line is a broken file (one without newlines, say) and is dead-lettered, never held whole.
    /// </summary>
    [Range(1024, 1024 * 1024 * 1024, ErrorMessage = "GhArchive:MaxLineBytes must be between 1024 bytes and 1 GiB.")]
    public int MaxLineBytes { get; set; } = 16 * 1024 * 1024;

    /// <summary>How long a download may bring no byte before it is abandoned and resumed.</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "01:00:00", ErrorMessage = "GhArchive:ReadTimeout must be between 0.1 s and an hour.")]
    public TimeSpan ReadTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Attempts in a row without a byte before a file is given up (and its hour reported as failed).</summary>
    [Range(1, 100, ErrorMessage = "GhArchive:ReadAttempts must be between 1 and 100.")]
    public int ReadAttempts { get; set; } = 5;
}
