using System.Globalization;

namespace GithubEvents.Enrich.Archive;

/// <summary>An hour of event time (UTC) and the keys of its files, named as GH Archive names its hours: the hour not zero-padded.</summary>
public readonly record struct ArchiveHour(DateTime Start)
{
    public DateTime End => Start.AddHours(1);

    /// <summary><c>2026-12-07-5</c>.</summary>
    public string Name => string.Create(CultureInfo.InvariantCulture, $"{Start:yyyy-MM-dd}-{Start.Hour}");

    public string JsonKey => $"json/{Name}.json.gz";

    public string ParquetKey => string.Create(CultureInfo.InvariantCulture, $"parquet/date={Start:yyyy-MM-dd}/{Name}.parquet");

    public string ManifestKey => $"manifest/{Name}.json";

    public static ArchiveHour Of(DateTime time) =>
        new(new DateTime(time.Year, time.Month, time.Day, time.Hour, 0, 0, DateTimeKind.Utc));

    public override string ToString() => Name;
}
