namespace GithubEvents.Enrich.Profiles;

/// <summary>
/// The actors known to have a fresh profile in the actors table, and until when, so that the resolver need not ask
/// the database about them again. Bounded: past its size the oldest entries are forgotten first.
/// </summary>
public sealed class ProfileCache(int capacity)
{
    private readonly Dictionary<long, DateTimeOffset> _freshUntil = new(Math.Min(capacity, 1 << 16));
    private readonly Queue<long> _order = new();
    private readonly Lock _lock = new();

    public bool IsFresh(long actorId, DateTimeOffset now)
    {
        lock (_lock)
        {
            return _freshUntil.TryGetValue(actorId, out var until) && until > now;
        }
    }

    public void Remember(long actorId, DateTimeOffset freshUntil)
    {
        lock (_lock)
        {
            if (_freshUntil.TryAdd(actorId, freshUntil))
            {
                _order.Enqueue(actorId);
                while (_order.Count > capacity)
                {
                    _freshUntil.Remove(_order.Dequeue());
                }
            }
            else
            {
                _freshUntil[actorId] = freshUntil;
            }
        }
    }
}
