using System.Globalization;
using System.Text.Json.Nodes;

/// <summary>
/// The soak's public feed: event <c>i</c> is the GH Archive sample's event <c>i mod n</c> with an id of its own, created
/// when it reaches the feed, its actor one of <c>copies</c> copies of the sample's (ids shifted by a billion a copy,
/// logins suffixed), so that the profile lookups meet new people and the same people again.
/// </summary>
internal sealed class SoakFeed(IReadOnlyList<JsonObject> sample, int copies)
{
    public const long FirstId = 95_000_000_000L;

    /// <summary>Events released when the feed stopped moving; null while it moves.</summary>
    public long? Released { get; private set; }

    public void Stopped(long released) => Released = released;

    /// <summary>Every actor the feed can name: (id, login).</summary>
    public IEnumerable<(long Id, string Login)> Actors() =>
        Enumerable.Range(0, copies).SelectMany(copy => sample.Select(json => Actor(json["actor"]!.AsObject(), copy))).Distinct();

    public string Event(long i)
    {
        var json = sample[(int)(i % sample.Count)].DeepClone().AsObject();
        var actor = json["actor"]!.AsObject();
        var (id, login) = Actor(actor, (int)(i / sample.Count % copies));
        actor["id"] = id;
        actor["login"] = login;
        actor["display_login"] = login;
        json["id"] = (FirstId + i).ToString(CultureInfo.InvariantCulture);
        json["created_at"] = DateTime.UtcNow.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);
        return json.ToJsonString();
    }

    private static (long Id, string Login) Actor(JsonObject actor, int copy)
    {
        var login = (string)actor["login"]!;
        login = login.EndsWith("[bot]", StringComparison.Ordinal) ? $"{login[..^5]}-{copy}[bot]" : $"{login}-{copy}";
        return ((long)actor["id"]! + copy * 1_000_000_000L, login);
    }
}
