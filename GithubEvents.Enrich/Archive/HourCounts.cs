namespace GithubEvents.Enrich.Archive;

/// <summary>An hour's events counted as they are written: in all, per source that delivered them (an event under each), and per type.</summary>
public sealed class HourCounts
{
    // Per value of events.sources, a handful: named per source once the hour is read, not per event.
    private readonly Dictionary<short, long> _bySources = [];
    private readonly SortedDictionary<string, long> _byType = new(StringComparer.Ordinal);

    public long Events { get; private set; }

    public IReadOnlyDictionary<string, long> BySource
    {
        get
        {
            var bySource = new SortedDictionary<string, long>(StringComparer.Ordinal);
            foreach (var (sources, events) in _bySources)
            {
                var names = ParquetEventsFile.SourceNames(sources);
                foreach (var source in names.Length == 0 ? ["none"] : names.Split(','))
                {
                    bySource[source] = bySource.GetValueOrDefault(source) + events;
                }
            }

            return bySource;
        }
    }

    public IReadOnlyDictionary<string, long> ByType => _byType;

    public void Add(IEnumerable<ArchivedEvent> slice)
    {
        foreach (var row in slice)
        {
            Events++;
            _byType[row.Type] = _byType.GetValueOrDefault(row.Type) + 1;
            _bySources[row.Sources] = _bySources.GetValueOrDefault(row.Sources) + 1;
        }
    }

    /// <summary>The counts as <c>archive_exports.counts</c> holds them.</summary>
    public IReadOnlyDictionary<string, object> AsRecord() =>
        new SortedDictionary<string, object>(StringComparer.Ordinal) { ["events"] = Events, ["by_source"] = BySource, ["by_type"] = _byType };
}
