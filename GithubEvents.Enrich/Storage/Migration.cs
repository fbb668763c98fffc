using System.Globalization;
using System.Text.RegularExpressions;

namespace GithubEvents.Enrich.Storage;

/// <summary>
/// One schema version, from the embedded files <c>Migrations/NNNN_name.sql</c> (both flavours),
/// <c>NNNN_name.timescaledb.sql</c> and <c>NNNN_name.postgres.sql</c> (one flavour each), run in that order. A version
/// holds what must run once: tables, indexes, hypertables, continuous aggregates and data changes; views and functions
/// are <see cref="Definition"/>s.
/// </summary>
public sealed partial record Migration(int Version, string Name, string? Common, string? TimescaleDb, string? Postgres)
{
    public static IReadOnlyList<Migration> All { get; } = Load();

    public string Sql(SchemaFlavor flavor) => string.Join("\n", Parts(flavor).Select(part => part.Text));

    /// <summary>What <c>schema_migrations.checksum</c> records of the version on a flavour.</summary>
    public string Checksum(SchemaFlavor flavor) => SchemaFiles.Checksum(Sql(flavor));

    /// <summary>The files the version runs on a flavour, as named under <c>Storage/Migrations</c>.</summary>
    public string FileNames(SchemaFlavor flavor) => string.Join(" and ", Parts(flavor).Select(part => part.FileName));

    private IEnumerable<(string FileName, string Text)> Parts(SchemaFlavor flavor)
    {
        var prefix = $"{Version:D4}_{Name}";
        if (Common is not null)
        {
            yield return ($"{prefix}.sql", Common);
        }

        var (variant, text) = flavor == SchemaFlavor.TimescaleDb ? ("timescaledb", TimescaleDb) : ("postgres", Postgres);
        if (text is not null)
        {
            yield return ($"{prefix}.{variant}.sql", text);
        }
    }

    private static List<Migration> Load() =>
        SchemaFiles.Read("Migrations")
            .Select(file => (file.Text, Match: FileName().Match(file.FileName)))
            .Where(file => file.Match.Success)
            .GroupBy(file => (Version: int.Parse(file.Match.Groups["version"].Value, CultureInfo.InvariantCulture), Name: file.Match.Groups["name"].Value))
            .Select(group => new Migration(group.Key.Version, group.Key.Name, Text(group, ""), Text(group, "timescaledb"), Text(group, "postgres")))
            .OrderBy(migration => migration.Version)
            .ToList();

    private static string? Text(IEnumerable<(string Text, Match Match)> files, string variant) =>
        files.SingleOrDefault(file => file.Match.Groups["variant"].Value == variant).Text;

    [GeneratedRegex(@"^(?<version>\d{4})_(?<name>[a-z0-9_]+)(\.(?<variant>timescaledb|postgres))?\.sql$")]
    private static partial Regex FileName();
}
