using System.IO.Compression;
using System.Text;
using System.Text.Json;

namespace GithubEvents.Tests.Infrastructure;

/// <summary>
/// The recorded GH Archive sample (800 events, 2021-07-21 06:00 to 09:00 UTC, one JSON object a line), and
/// gzip files made from it as GH Archive publishes them.
/// </summary>
public static class ArchiveFixture
{
    private static readonly Lazy<string[]> AllLines = new(() =>
        File.ReadAllLines(UpstreamFixtures.Path("gharchive-sample-pinot", "2021-07-21-few-hours.json")));

    private static readonly Lazy<byte[][]> AllEvents = new(() => Lines.Select(Encoding.UTF8.GetBytes).ToArray());

    public const int EventCount = 800;

    public static IReadOnlyList<string> Lines => AllLines.Value;

    /// <summary>The sample's events as bytes, as a consumer receives them.</summary>
    public static IReadOnlyList<byte[]> Events => AllEvents.Value;

    /// <summary>The sample's lines by the hour of their <c>created_at</c>, as GH Archive splits its files.</summary>
    public static IReadOnlyDictionary<DateTime, string[]> ByHour() =>
        Lines.GroupBy(line => Hour(JsonDocument.Parse(line).RootElement.GetProperty("created_at").GetDateTime()))
            .ToDictionary(group => group.Key, group => group.ToArray());

    /// <summary>A gzip file of the lines, each ending with a newline.</summary>
    public static byte[] Gzip(IEnumerable<string> lines)
    {
        using var output = new MemoryStream();
        using (var gzip = new GZipStream(output, CompressionLevel.Fastest))
        {
            foreach (var line in lines)
            {
                gzip.Write(Encoding.UTF8.GetBytes(line + "\n"));
            }
        }

        return output.ToArray();
    }

    /// <summary>A gzip file of the bytes as they are, newlines or not.</summary>
    public static byte[] Gzip(byte[] bytes)
    {
        using var output = new MemoryStream();
        using (var gzip = new GZipStream(output, CompressionLevel.Fastest))
        {
            gzip.Write(bytes);
        }

        return output.ToArray();
    }

    private static DateTime Hour(DateTime time) =>
        new(time.Year, time.Month, time.Day, time.Hour, 0, 0, DateTimeKind.Utc);
}
