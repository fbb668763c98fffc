using System.Text.Json;

namespace GithubEvents.Enrich.Archive;

/// <summary>
/// An hour's manifest (<c>manifest/YYYY-MM-DD-H.json</c>), written last: it names the revision and each data file's bytes
/// and SHA-256, so a reader that finds it knows the files whole. It holds no time of its own, so an export of unchanged
/// rows with unchanged figures gives the same bytes. docs/archive.md describes its members.
/// </summary>
public static class HourManifest
{
    /// <summary>The layout of the archive's files; a change of columns or members raises it.</summary>
    public const int SchemaVersion = 1;

    public static async Task WriteAsync(string path, ArchiveHour hour, int revision, HourCounts counts, HourCapture capture,
        FileDigest json, FileDigest parquet, CancellationToken cancellationToken)
    {
        await using var file = new FileStream(path, FileMode.CreateNew, FileAccess.Write);
        await using var writer = new Utf8JsonWriter(file, new JsonWriterOptions { Indented = true });
        writer.WriteStartObject();
        writer.WriteNumber("schema_version", SchemaVersion);
        writer.WriteString("hour", hour.Start);
        writer.WriteNumber("revision", revision);
        writer.WriteNumber("events", counts.Events);
        WriteCounts(writer, "by_source", counts.BySource);
        WriteCounts(writer, "by_type", counts.ByType);
        writer.WriteStartObject("capture");
        WriteNumber(writer, "estimated_events", capture.EstimatedEvents);
        WriteNumber(writer, "estimate_low", capture.EstimateLow);
        WriteNumber(writer, "estimate_high", capture.EstimateHigh);
        WriteNumber(writer, "live_share", capture.LiveShare);
        writer.WriteNumber("missed_polls", capture.MissedPolls);
        writer.WriteNumber("undelivered_minutes", capture.UndeliveredMinutes);
        writer.WriteNumber("kafka_gaps", capture.KafkaGaps);
        writer.WriteNumber("kafka_gap_offsets", capture.KafkaGapOffsets);
        writer.WriteEndObject();
        writer.WriteStartObject("files");
        WriteFile(writer, "json", json);
        WriteFile(writer, "parquet", parquet);
        writer.WriteEndObject();
        writer.WriteEndObject();
        await writer.FlushAsync(cancellationToken);
    }

    private static void WriteCounts(Utf8JsonWriter writer, string name, IReadOnlyDictionary<string, long> counts)
    {
        writer.WriteStartObject(name);
        foreach (var (key, count) in counts)
        {
            writer.WriteNumber(key, count);
        }

        writer.WriteEndObject();
    }

    private static void WriteNumber(Utf8JsonWriter writer, string name, double? value)
    {
        if (value is { } number)
        {
            writer.WriteNumber(name, number);
        }
        else
        {
            writer.WriteNull(name);
        }
    }

    private static void WriteFile(Utf8JsonWriter writer, string name, FileDigest file)
    {
        writer.WriteStartObject(name);
        writer.WriteString("key", file.Key);
        writer.WriteNumber("bytes", file.Bytes);
        writer.WriteString("sha256", file.Sha256);
        writer.WriteEndObject();
    }
}
