using System.Text.RegularExpressions;

namespace GithubEvents.Tests.Infrastructure;

/// <summary>
/// The recorded upstream payloads in <c>shared/fixtures/upstream</c> (beside the repository; not committed,
/// see their README for licences). <c>GITHUB_EVENTS_UPSTREAM_FIXTURES</c> overrides the location.
/// </summary>
public static partial class UpstreamFixtures
{
    private static readonly Lazy<string> Root = new(FindRoot);

    public static string Path(params string[] parts) => System.IO.Path.Combine([Root.Value, .. parts]);

    public static string ReadText(params string[] parts) => File.ReadAllText(Path(parts));

    /// <summary>A PyGithub replay file: one recorded request and the response GitHub gave it.</summary>
    public static RecordedExchange GitHubRecording(string fileName)
    {
        var lines = File.ReadAllLines(Path("github-api-recordings-pygithub", fileName));
        var headers = HeaderTuple().Matches(lines[8])
            .Select(m => KeyValuePair.Create(m.Groups["name"].Value, m.Groups["single"].Success ? m.Groups["single"].Value : m.Groups["double"].Value))
            .ToList();
        return new RecordedExchange(
            Method: lines[1],
            Path: lines[4],
            Status: int.Parse(lines[7], System.Globalization.CultureInfo.InvariantCulture),
            ResponseHeaders: headers,
            Body: lines.Length > 9 ? lines[9] : "");
    }

    private static string FindRoot()
    {
        if (Environment.GetEnvironmentVariable("GITHUB_EVENTS_UPSTREAM_FIXTURES") is { Length: > 0 } configured)
        {
            return configured;
        }

        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = System.IO.Path.Combine(dir.FullName, "shared", "fixtures", "upstream");
            if (Directory.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new DirectoryNotFoundException(
            "The upstream fixtures were not found: expected shared/fixtures/upstream in a folder above " +
            $"{AppContext.BaseDirectory}, or set GITHUB_EVENTS_UPSTREAM_FIXTURES to their folder.");
    }

    // ('Name', 'value') or ('Name', "value with 'quotes'") in a Python list of tuples.
    [GeneratedRegex("""\('(?<name>[^']*)', (?:'(?<single>[^']*)'|"(?<double>[^"]*)")\)""")]
    private static partial Regex HeaderTuple();
}
