namespace GithubEvents.Enrich.Archive;

/// <summary>An hour's events counted as they are written: in all, per source that delivered them (an event under each), and per type.</summary>
public sealed class HourCounts
{
    private readonly SortedDictionary<string, long> _bySource = new(StringComparer.Ordinal);
    private readonly SortedDictionary<string, long> _byType = new(StringComparer.Ordinal);

    public long Events { get; private set; }

    public IReadOnlyDictionary<string, long> BySource => _bySource;

    public IReadOnlyDictionary<string, long> ByType => _byType;

    public void Add(IEnumerable<ArchivedEvent> slice)
    {
        foreach (var row in slice)
        {
            Add(row);
        }
    }

    private void Add(ArchivedEvent row)
    {
        Events++;
        _byType[row.Type] = _byType.GetValueOrDefault(row.Type) + 1;
        var sources = ParquetEventsFile.SourceNames(row.Sources);
        foreach (var source in sources.Length == 0 ? ["none"] : sources.Split(','))
        {
            _bySource[source] = _bySource.GetValueOrDefault(source) + 1;
        }
    }

    /// <summary>The counts as <c>archive_exports.counts</c> holds them.</summary>
    public IReadOnlyDictionary<string, object> AsRecord() =>
        new SortedDictionary<string, object>(StringComparer.Ordinal) { ["events"] = Events, ["by_source"] = _bySource, ["by_type"] = _byType };
}
