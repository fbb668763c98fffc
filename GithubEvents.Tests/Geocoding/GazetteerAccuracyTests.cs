using GithubEvents.Enrich.Geocoding;

namespace GithubEvents.Tests.Geocoding;

public sealed class GazetteerAccuracyTests
{
    private static readonly Gazetteer Gazetteer = Gazetteer.Load();

    [Fact]
    public void Real_profile_locations_resolve_offline_with_at_least_95_percent_precision()
    {
        var rows = File.ReadAllLines(Path.Combine(AppContext.BaseDirectory, "Geocoding", "location-strings.tsv"))
            .Where(line => line.Length > 0 && !line.StartsWith('#'))
            .Select(line => line.Split('\t'))
            .Select(fields => (Location: fields[0], Expected: fields[1] == "-" ? null : fields[1]))
            .ToList();
        Assert.True(rows.Count >= 200, $"The table has {rows.Count} strings; it needs at least 200.");

        var (answered, correct, places, wrong) = (0, 0, rows.Count(row => row.Expected is not null), new List<string>());
        var unknown = new List<string>();
        foreach (var (location, expected) in rows)
        {
            var answer = LocationKey.Normalize(location) is { } key ? Gazetteer.Resolve(key) : GazetteerAnswer.NoLocation;
            if (answer.Place is { } place)
            {
                answered++;
                if (place.CountryCode == expected)
                {
                    correct++;
                }
                else
                {
                    wrong.Add($"'{location}': {place.CountryCode}, expected {expected ?? "no location"}");
                }
            }
            else if (expected is not null)
            {
                unknown.Add($"'{location}' ({(answer.Known ? "no location" : "unknown")})");
            }
        }

        var precision = (double)correct / answered;
        var recall = (double)correct / places;
        TestContext.Current.TestOutputHelper!.WriteLine(
            $"{rows.Count} strings, {places} with a country: answered {answered}, correct {correct}; precision {precision:P1}, recall {recall:P1}.");
        TestContext.Current.TestOutputHelper!.WriteLine($"Wrong: {string.Join("; ", wrong)}");
        TestContext.Current.TestOutputHelper!.WriteLine($"Not answered: {string.Join("; ", unknown)}");
        Assert.True(precision >= 0.95, $"Precision {precision:P1} is below 95%. Wrong: {string.Join("; ", wrong)}");
    }
}
