using System.Globalization;
using System.Text.RegularExpressions;

namespace GithubEvents.Ingest.Archive;

/// <summary>GH Archive's hourly files: <c>2025-01-01-0.json.gz</c> holds 00:00 to 00:59 UTC (the hour is not zero-padded).</summary>
public static partial class ArchiveHour
{
    /// <summary>Files before this hour use the old Timeline format, which Ingest does not read.</summary>
    public static readonly DateTime FirstSupported = new(2015, 1, 1, 0, 0, 0, DateTimeKind.Utc);

    public static string FileName(DateTime hour) =>
        string.Create(CultureInfo.InvariantCulture, $"{hour:yyyy-MM-dd}-{hour.Hour}.json.gz");

    public static bool TryParseFileName(string fileName, out DateTime hour)
    {
        hour = default;
        var match = FileNamePattern().Match(fileName);
        if (!match.Success
            || !DateTime.TryParseExact(match.Groups["day"].Value, "yyyy-MM-dd", CultureInfo.InvariantCulture,
                DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var day)
            || int.Parse(match.Groups["hour"].Value, CultureInfo.InvariantCulture) is not (var h and < 24))
        {
            return false;
        }

        hour = day.AddHours(h);
        return true;
    }

    /// <summary>An hour as the command line gives it: <c>2025-01-01T00</c> (UTC).</summary>
    public static bool TryParseArgument(string value, out DateTime hour) =>
        DateTime.TryParseExact(value, "yyyy-MM-dd'T'HH", CultureInfo.InvariantCulture,
            DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out hour);

    /// <summary>Every hour from <paramref name="from"/> to <paramref name="to"/>, both included.</summary>
    public static IEnumerable<DateTime> Range(DateTime from, DateTime to)
    {
        for (var hour = from; hour <= to; hour = hour.AddHours(1))
        {
            yield return hour;
        }
    }

    public static string Format(DateTime hour) => hour.ToString("yyyy-MM-dd'T'HH", CultureInfo.InvariantCulture);

    [GeneratedRegex(@"^(?<day>\d{4}-\d{2}-\d{2})-(?<hour>\d{1,2})\.json\.gz$")]
    private static partial Regex FileNamePattern();
}
