using System.ComponentModel.DataAnnotations;
using GithubEvents.ServiceDefaults.GitHub;

namespace GithubEvents.Ingest.GitHub;

/// <summary>The live poller's settings, bound from <c>GitHub</c> beside the API settings both services share.</summary>
public sealed class GitHubOptions : GitHubApiOptions
{
    public GitHubOptions()
    {
        UserAgent = "GithubEvents-Ingest";
    }

    /// <summary>
    /// A fixed pace with a token: poll this often (instead of at the budget's pace), within the budget share.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "1.00:00:00", ErrorMessage = "GitHub:PollInterval must be between 0.1 s and a day, e.g. 00:00:02.")]
    public TimeSpan? PollInterval { get; set; }

    /// <summary>
    /// Poll no closer than <c>X-Poll-Interval</c> (GitHub's 60 s) even with a token, instead of at the budget's pace:
    /// a fraction of the requests, and of the events captured.
    /// </summary>
    public bool ObeyPollInterval { get; set; }

    /// <summary>The share of the hourly budget the poller may spend; the rest is left for profile lookups.</summary>
    [Range(0.01, 1.0, ErrorMessage = "GitHub:BudgetShare must be between 0.01 and 1 (a share of the hourly request budget).")]
    public double BudgetShare { get; set; } = 0.8;

    /// <summary>How many event ids the poller remembers to drop duplicates.</summary>
    [Range(1_000, 10_000_000, ErrorMessage = "GitHub:DedupWindow must be between 1000 and 10000000 event ids.")]
    public int DedupWindow { get; set; } = 100_000;
}
