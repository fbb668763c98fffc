using System.Globalization;
using System.Text.Json.Nodes;

/// <summary>The ids the public feed served, each written once to a file with when it was first served.</summary>
internal sealed class ShownEvents(string path) : IAsyncDisposable
{
    private readonly HashSet<string> _ids = [];
    private readonly StreamWriter _file = new(path, append: false);
    private readonly Lock _lock = new();

    public int Count
    {
        get
        {
            lock (_lock)
            {
                return _ids.Count;
            }
        }
    }

    public void Record(IReadOnlyList<string> page)
    {
        var now = DateTime.UtcNow.ToString("O", CultureInfo.InvariantCulture);
        lock (_lock)
        {
            foreach (var json in page)
            {
                var id = (string)JsonNode.Parse(json)!["id"]!;
                if (_ids.Add(id))
                {
                    _file.Write($"{id}\t{now}\n");
                }
            }

            // Flushed at every page, so that the file is whole even if the bench is killed.
            _file.Flush();
        }
    }

    public ValueTask DisposeAsync() => _file.DisposeAsync();
}
