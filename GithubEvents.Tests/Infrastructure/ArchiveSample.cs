namespace GithubEvents.Tests.Infrastructure;

/// <summary>
/// The GH Archive sample in the upstream fixtures: 800 real events of 15 types (2021-07-21, full payloads), one
/// JSON object a line, as bytes exactly as recorded.
/// </summary>
public static class ArchiveSample
{
    public const int EventCount = 800;

    private static readonly Lazy<IReadOnlyList<byte[]>> Lines = new(() => File.ReadLines(UpstreamFixtures.Path("gharchive-sample-pinot", "2021-07-21-few-hours.json"))
        .Where(line => line.Length > 0)
        .Select(System.Text.Encoding.UTF8.GetBytes)
        .ToList());

    public static IReadOnlyList<byte[]> Events => Lines.Value;
}
