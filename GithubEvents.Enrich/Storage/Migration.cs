using System.Reflection;
using System.Text.RegularExpressions;

namespace GithubEvents.Enrich.Storage;

/// <summary>
/// One schema version, from the embedded files <c>Migrations/NNNN_name.sql</c> (both flavours),
/// <c>NNNN_name.timescaledb.sql</c> and <c>NNNN_name.postgres.sql</c> (one flavour each), run in that order.
/// </summary>
public sealed partial record Migration(int Version, string Name, string? Common, string? TimescaleDb, string? Postgres)
{
    public static IReadOnlyList<Migration> All { get; } = Load();

    public string Sql(SchemaFlavor flavor) =>
        string.Join("\n", new[] { Common, flavor == SchemaFlavor.TimescaleDb ? TimescaleDb : Postgres }.Where(part => part is not null));

    private static List<Migration> Load()
    {
        var assembly = typeof(Migration).Assembly;
        var files = assembly.GetManifestResourceNames()
            .Select(resource => (Resource: resource, Match: FileName().Match(resource)))
            .Where(file => file.Match.Success)
            .GroupBy(file => (Version: int.Parse(file.Match.Groups["version"].Value, System.Globalization.CultureInfo.InvariantCulture), Name: file.Match.Groups["name"].Value));

        return files
            .Select(group => new Migration(
                group.Key.Version,
                group.Key.Name,
                Read(assembly, group, ""),
                Read(assembly, group, "timescaledb"),
                Read(assembly, group, "postgres")))
            .OrderBy(migration => migration.Version)
            .ToList();
    }

    private static string? Read(Assembly assembly, IEnumerable<(string Resource, Match Match)> files, string variant)
    {
        var file = files.SingleOrDefault(file => file.Match.Groups["variant"].Value == variant);
        if (file.Resource is null)
        {
            return null;
        }

        using var reader = new StreamReader(assembly.GetManifestResourceStream(file.Resource)!);
        return reader.ReadToEnd();
    }

    [GeneratedRegex(@"^Migrations/(?<version>\d{4})_(?<name>[a-z0-9_]+)(\.(?<variant>timescaledb|postgres))?\.sql$")]
    private static partial Regex FileName();
}
