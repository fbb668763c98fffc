using System.Globalization;

namespace GithubEvents.Enrich.Geocoding;

/// <summary>
/// The offline gazetteer (<c>Data/gazetteer.tsv</c>, see its README): countries by their names in many languages and
/// their ISO codes, US states, Canadian provinces and the UK's nations, the larger cities, and strings that are no
/// location. A location is read as parts ("City, Region, Country"); the rightmost part that names a country or region
/// decides the country, and a city must lie in it. Rules that keep precision up:
/// <list type="bullet">
/// <item>Two-letter codes ("DE", "CA", "IN") count only beside another part: "Berlin, DE" is Germany, "DE" alone is
/// unknown. Where a code or name means several places ("CA": Canada or California; "Georgia"), the other parts
/// decide, and if they cannot the answer is unknown.</item>
/// <item>A city name alone is answered only when its largest namesake dwarfs those abroad ("Paris", not "Cambridge"
/// or "Valencia") and it is not an everyday word ("Mobile", "Reading").</item>
/// <item>Parts that contradict each other ("Berlin, Germany, USA") leave the answer unknown.</item>
/// </list>
/// </summary>
public sealed class Gazetteer
{
    private const string ResourceName = "Geocoding/gazetteer.tsv";

    private readonly Dictionary<string, List<Entry>> _names = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<Entry>> _codes = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Entry> _countries = new(StringComparer.Ordinal);
    private readonly HashSet<string> _ambiguousAlone = new(StringComparer.Ordinal);
    private readonly HashSet<string> _noLocation = new(StringComparer.Ordinal);

    private Gazetteer(TextReader reader)
    {
        var rank = 0;
        while (reader.ReadLine() is { } line)
        {
            if (line.Length == 0 || line[0] == '#')
            {
                continue;
            }

            var fields = line.Split('\t');
            switch (fields[0])
            {
                case "C":
                    var country = new Entry(EntryKind.Country, fields[1], fields[2], null, Coordinate(fields[3]), Coordinate(fields[4]), 0);
                    _countries.Add(country.CountryCode, country);
                    AddNames(country, fields[5]);
                    Add(_codes, fields[1], country);
                    break;
                case "R":
                    var region = new Entry(EntryKind.Region, fields[1], fields[3], fields[2], Coordinate(fields[4]), Coordinate(fields[5]), 0);
                    AddNames(region, fields[6]);
                    Add(_codes, fields[2], region);
                    break;
                case "P":
                    // Cities come most populous first: the rank picks the largest namesake.
                    AddNames(new Entry(EntryKind.City, fields[1], null, fields[2] is { Length: > 0 } code ? code : null,
                        Coordinate(fields[3]), Coordinate(fields[4]), ++rank), fields[5]);
                    break;
                case "A":
                    _ambiguousAlone.Add(Key(fields[1]) ?? "");
                    break;
                case "-":
                    _noLocation.Add(Key(fields[1]) ?? "");
                    break;
                default:
                    throw new InvalidDataException($"{ResourceName}: unknown record type '{fields[0]}'.");
            }
        }
    }

    /// <summary>The gazetteer embedded in Enrich.</summary>
    public static Gazetteer Load()
    {
        using var stream = typeof(Gazetteer).Assembly.GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException($"The embedded resource {ResourceName} is missing.");
        using var reader = new StreamReader(stream);
        return new Gazetteer(reader);
    }

    /// <summary>The English name of a country by its ISO 3166-1 alpha-2 code (any case), or null.</summary>
    public string? CountryName(string code) =>
        _countries.TryGetValue(code.ToUpperInvariant(), out var country) ? country.Name : null;

    /// <summary>Resolves a key made by <see cref="LocationKey.Normalize"/>.</summary>
    public GazetteerAnswer Resolve(string key)
    {
        var folded = LocationKey.Fold(key);
        if (_noLocation.Contains(folded) || LocationKey.Parts(folded).Any(IsWebAddress))
        {
            return GazetteerAnswer.NoLocation;
        }

        var parts = LocationKey.Parts(folded)
            .Select(WithoutNumbers)
            .Where(part => part.Length > 0 && !_noLocation.Contains(part))
            .ToList();
        if (parts.Count == 0)
        {
            return GazetteerAnswer.NoLocation; // only numbers (addresses, postcodes) and strings like "Remote"
        }

        parts = parts.SelectMany(SplitTrailingArea).ToList();
        var qualified = parts.Count > 1;
        var meanings = parts.Select(part => Meanings(part, qualified)).ToList();

        var area = meanings.FindLastIndex(entries => entries.Any(entry => entry.Kind != EntryKind.City));
        return area >= 0 ? ResolveInArea(parts, meanings, area) : ResolveCity(parts, meanings);
    }

    private GazetteerAnswer ResolveInArea(List<string> parts, List<List<Entry>> meanings, int area)
    {
        var candidates = meanings[area].Where(entry => entry.Kind != EntryKind.City).Select(entry => entry.CountryCode).Distinct().ToList();
        string country;
        if (candidates.Count == 1)
        {
            country = candidates[0];
        }
        else
        {
            // "Atlanta, Georgia", "Berlin, DE", "Toronto, CA": the other parts say which one.
            var scores = candidates
                .Select(code => (Code: code, Score: meanings.Where((_, index) => index != area).Count(entries => entries.Any(entry => entry.CountryCode == code))))
                .OrderByDescending(score => score.Score)
                .ToList();
            if (scores[0].Score == scores[1].Score)
            {
                return GazetteerAnswer.Unknown;
            }

            country = scores[0].Code;
        }

        // A part that names only other countries contradicts the area.
        if (meanings.Any(entries => entries.Count > 0 && entries.All(entry => entry.Kind == EntryKind.Country) && entries.All(entry => entry.CountryCode != country)))
        {
            return GazetteerAnswer.Unknown;
        }

        var region = meanings[area].Concat(meanings.SelectMany(entries => entries))
            .FirstOrDefault(entry => entry.Kind == EntryKind.Region && entry.CountryCode == country);

        // The city: in the parts before the area, or the area part itself ("New York", "Singapore").
        var order = Enumerable.Range(0, parts.Count).Where(index => index != area).Append(area);
        foreach (var index in order)
        {
            var city = meanings[index]
                .Where(entry => entry.Kind == EntryKind.City && entry.CountryCode == country && (region is null || entry.Region == region.Region))
                .MinBy(entry => entry.Rank);
            if (city is not null)
            {
                return Found(city);
            }
        }

        return Found(region ?? _countries[country]);
    }

    private GazetteerAnswer ResolveCity(List<string> parts, List<List<Entry>> meanings)
    {
        for (var index = 0; index < parts.Count; index++)
        {
            var city = meanings[index].Where(entry => entry.Kind == EntryKind.City).MinBy(entry => entry.Rank);
            if (city is null)
            {
                continue; // "Tsinghua University, Beijing": the part the gazetteer knows decides
            }

            return _ambiguousAlone.Contains(parts[index]) ? GazetteerAnswer.Unknown : Found(city);
        }

        return GazetteerAnswer.Unknown;
    }

    private GazetteerAnswer Found(Entry entry) =>
        GazetteerAnswer.Found(new Place(_countries[entry.CountryCode].Name!, entry.CountryCode, entry.Latitude, entry.Longitude));

    private List<Entry> Meanings(string part, bool qualified)
    {
        var entries = _names.TryGetValue(part, out var named) ? named : [];
        return qualified && _codes.TryGetValue(part, out var coded) ? [.. entries, .. coded] : entries;
    }

    // "Berlin Germany", "San Francisco CA": a part without commas that ends in a country or region.
    private IEnumerable<string> SplitTrailingArea(string part)
    {
        if (_names.ContainsKey(part))
        {
            return [part];
        }

        var words = part.Split(' ');
        for (var count = Math.Min(3, words.Length - 1); count >= 1; count--)
        {
            var prefix = string.Join(' ', words[..^count]);
            var suffix = string.Join(' ', words[^count..]);
            if (Meanings(suffix, qualified: true).Any(entry => entry.Kind != EntryKind.City) && _names.ContainsKey(prefix))
            {
                return [prefix, suffix];
            }
        }

        return [part];
    }

    // The key of "https://example.com" is "https, example com"; of "www.example.dev", "www example dev".
    private static bool IsWebAddress(string part) =>
        part is "http" or "https" || part.StartsWith("www ", StringComparison.Ordinal)
        || part.Contains(' ') && part[(part.LastIndexOf(' ') + 1)..] is "com" or "org" or "net" or "io" or "dev" or "ai" or "app" or "xyz" or "info" or "tech";

    private static string WithoutNumbers(string part) =>
        part.Any(char.IsDigit) ? string.Join(' ', part.Split(' ').Where(word => !word.All(char.IsDigit))) : part;

    private void AddNames(Entry entry, string field)
    {
        foreach (var name in field.Split('|'))
        {
            // A name that Normalize would split into parts ("Washington, D.C.") could never match one part.
            if (Key(name) is { } key && !key.Contains(", ", StringComparison.Ordinal))
            {
                Add(_names, key, entry);
            }
        }
    }

    private static void Add(Dictionary<string, List<Entry>> index, string name, Entry entry)
    {
        var key = Key(name) ?? throw new InvalidDataException($"{ResourceName}: an empty name.");
        if (!index.TryGetValue(key, out var entries))
        {
            index.Add(key, entries = []);
        }

        if (!entries.Contains(entry))
        {
            entries.Add(entry);
        }
    }

    private static string? Key(string name) => LocationKey.Normalize(name) is { } key ? LocationKey.Fold(key) : null;

    private static double Coordinate(string value) => double.Parse(value, NumberStyles.Float, CultureInfo.InvariantCulture);

    private enum EntryKind
    {
        Country,
        Region,
        City,
    }

    private sealed record Entry(EntryKind Kind, string CountryCode, string? Name, string? Region, double Latitude, double Longitude, int Rank);
}
