using Confluent.Kafka;
using GithubEvents.ServiceDefaults.Kafka;

namespace GithubEvents.Enrich.Events;

/// <summary>The bits of <c>events.sources</c> (see <c>0010_sightings.sql</c>), one for each of Ingest's <see cref="EventSources"/>.</summary>
public static class SourceBits
{
    public const short Live = 1;
    public const short Archive = 2;
    public const short Watch = 4;

    /// <summary>The bit of the source a message's <see cref="EventHeaders.Source"/> names; 0 for none, or one Enrich does not know.</summary>
    public static short Of(Headers? headers)
    {
        if (headers is null || !headers.TryGetLastBytes(EventHeaders.Source, out var value))
        {
            return 0;
        }

        var source = value.AsSpan();
        return source.SequenceEqual("live"u8) ? Live
            : source.SequenceEqual("archive"u8) ? Archive
            : source.SequenceEqual("watch"u8) ? Watch
            : (short)0;
    }
}
