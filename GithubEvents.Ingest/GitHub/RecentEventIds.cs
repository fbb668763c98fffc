namespace GithubEvents.Ingest.GitHub;

/// <summary>The last <c>capacity</c> event ids seen, oldest forgotten first.</summary>
public sealed class RecentEventIds(int capacity)
{
    private readonly HashSet<string> _ids = new(capacity, StringComparer.Ordinal);
    private readonly Queue<string> _order = new(capacity);

    public int Count => _ids.Count;

    /// <summary>True when the id is new (and is now remembered), false for a duplicate.</summary>
    public bool Add(string id)
    {
        if (!_ids.Add(id))
        {
            return false;
        }

        _order.Enqueue(id);
        if (_order.Count > capacity)
        {
            _ids.Remove(_order.Dequeue());
        }

        return true;
    }
}
