using System.Diagnostics.CodeAnalysis;
using System.Text.Json;

namespace GithubEvents.ServiceDefaults.Kafka;

/// <summary>
/// One poller's figures for one feed and one minute so far, as Ingest publishes them to <see cref="EventTopics.Polls"/>
/// after every poll and Enrich stores them (<c>ingest_polls</c> for the public feed, <c>watch_polls</c> for a watched
/// one): each message holds the whole minute up to then, so the last one wins and a lost or repeated one loses nothing.
/// </summary>
/// <param name="Minute">The minute of the polls (UTC, whole minute).</param>
/// <param name="Poller">The Ingest process: a name of its own at every start.</param>
/// <param name="Polls">Polls begun in the minute.</param>
/// <param name="Requests">Feed requests, whatever their answer.</param>
/// <param name="Ok">Requests answered 200 with events.</param>
/// <param name="NotModified">Requests answered 304.</param>
/// <param name="Failed">Requests refused (rate limits) or failed.</param>
/// <param name="EventsReturned">Events the 200s returned.</param>
/// <param name="NewEvents">Of those, events the poller had not seen before.</param>
/// <param name="MissedPolls">Polls whose deepest page was all new: events were missed before them.</param>
/// <param name="Feed">The feed's path: <see cref="PublicFeed"/>, or a watched one such as <c>repos/dotnet/aspire/events</c>.</param>
/// <param name="Undelivered">
/// The poller could not deliver the minute's events: it held as many as it may while Kafka did not take them, and did
/// not poll (part of) the minute, so what the feed showed then and turned over is not captured.
/// </param>
/// <param name="DeadLetters">Elements of the 200s that were no events, and stretches of broken pages that were no elements, sent to the dead-letter topic.</param>
public sealed record PollFigures(
    DateTimeOffset Minute,
    string Poller,
    int Polls,
    int Requests,
    int Ok,
    int NotModified,
    int Failed,
    int EventsReturned,
    int NewEvents,
    int MissedPolls,
    string Feed = PollFigures.PublicFeed,
    bool Undelivered = false,
    int DeadLetters = 0)
{
    /// <summary>GitHub's public events feed, the live poller's.</summary>
    public const string PublicFeed = "events";

    private const int MaxPollerLength = 200;

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    public byte[] ToJson() => JsonSerializer.SerializeToUtf8Bytes(this, Json);

    public static bool TryParse(byte[] json, [NotNullWhen(true)] out PollFigures? figures, [NotNullWhen(false)] out string? rejection)
    {
        figures = null;
        try
        {
            var parsed = JsonSerializer.Deserialize<PollFigures>(json, Json);
            rejection = parsed switch
            {
                null => "not a JSON object",
                _ when parsed.Minute == default => "no minute",
                { Poller: null or "" } => "no poller",
                { Poller.Length: > MaxPollerLength } => $"a poller name over {MaxPollerLength} characters",
                _ when parsed.Poller.Any(char.IsControl) => "a control character in the poller name",
                { Feed: null or "" } => "no feed",
                { Feed.Length: > MaxPollerLength } => $"a feed over {MaxPollerLength} characters",
                _ when parsed.Feed.Any(char.IsControl) => "a control character in the feed",
                _ when parsed.Minute.UtcTicks % TimeSpan.TicksPerMinute != 0 => $"minute {parsed.Minute:O} is not a whole minute",
                _ when new[] { parsed.Polls, parsed.Requests, parsed.Ok, parsed.NotModified, parsed.Failed, parsed.EventsReturned, parsed.NewEvents, parsed.MissedPolls, parsed.DeadLetters }.Any(count => count < 0) => "a negative count",
                _ => null,
            };
            figures = rejection is null ? parsed : null;
        }
        catch (JsonException ex)
        {
            rejection = $"invalid JSON: {ex.Message}";
        }

        return figures is not null;
    }
}
