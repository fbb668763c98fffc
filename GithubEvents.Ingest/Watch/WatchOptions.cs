using System.ComponentModel.DataAnnotations;

namespace GithubEvents.Ingest.Watch;

/// <summary>
/// The repositories and organisations whose own feeds are polled beside the public one, bound from
/// <c>GitHub:Watch</c> and read again whenever the configuration changes (no restart).
/// </summary>
public sealed class WatchOptions
{
    public const string SectionName = "GitHub:Watch";

    /// <summary><c>owner/name</c> entries; an entry may hold several, separated by commas or spaces.</summary>
    public List<string> Repositories { get; set; } = [];

    /// <summary>Organisation logins; an entry may hold several, separated by commas or spaces.</summary>
    public List<string> Organizations { get; set; } = [];

    /// <summary>The share of the hourly core budget the watched feeds may spend; the live poller leaves it to them.</summary>
    [Range(0.01, 0.9, ErrorMessage = "GitHub:Watch:BudgetShare must be between 0.01 and 0.9 (a share of the hourly request budget).")]
    public double BudgetShare { get; set; } = 0.1;

    /// <summary>The closest two polls of one feed come, however busy it is.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00", ErrorMessage = "GitHub:Watch:MinimumInterval must be between 1 s and an hour, e.g. 00:00:10.")]
    public TimeSpan MinimumInterval { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// The idle pace: the longest a feed goes unpolled, however idle it is (a 304 costs no budget), and so the longest
    /// its events wait; GitHub's <c>X-Poll-Interval</c>, when longer, is honoured instead.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:10", "1.00:00:00", ErrorMessage = "GitHub:Watch:MaximumInterval must be between 10 s and a day, e.g. 00:01:00.")]
    public TimeSpan MaximumInterval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Every target once, repositories first, in the order given.</summary>
    public IReadOnlyList<WatchTarget> Targets() =>
        Names(Repositories).Select(WatchTarget.Repository)
            .Concat(Names(Organizations).Select(WatchTarget.Organization))
            .DistinctBy(target => target.Feed, StringComparer.OrdinalIgnoreCase)
            .ToList();

    internal static IEnumerable<string> Names(IEnumerable<string> entries) =>
        entries.SelectMany(entry => entry.Split([',', ' ', ';', '\n', '\t'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
}
