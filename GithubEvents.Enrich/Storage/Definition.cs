using System.Text.RegularExpressions;

namespace GithubEvents.Enrich.Storage;

/// <summary>
/// One view, function or procedure, from the embedded file <c>Definitions/schema.name.sql</c> (both flavours) or
/// <c>schema.name.timescaledb.sql</c> / <c>schema.name.postgres.sql</c> (one flavour), which holds its current definition:
/// a <c>CREATE OR REPLACE</c> of it, and the grants or revokes that go with it. Re-applied whenever its text changes
/// (<see cref="DefinitionApplier"/>), after the <see cref="Migration"/>s.
/// </summary>
public sealed partial record Definition(string Schema, string Name, DefinitionKind Kind, SchemaFlavor? Flavor, string FileName, string Sql)
{
    public static IReadOnlyList<Definition> All { get; } = SchemaFiles.Read("Definitions").Select(file => Parse(file.FileName, file.Text)).ToList();

    public string QualifiedName => $"{Schema}.{Name}";

    public string Checksum => SchemaFiles.Checksum(Sql);

    /// <summary>A flavour's definitions, each after every definition it names.</summary>
    public static IReadOnlyList<Definition> InOrder(SchemaFlavor flavor)
    {
        var definitions = All.Where(definition => definition.Flavor is null || definition.Flavor == flavor).OrderBy(definition => definition.FileName, StringComparer.Ordinal).ToList();
        var ordered = new List<Definition>(definitions.Count);
        var visiting = new HashSet<Definition>();
        foreach (var definition in definitions)
        {
            Visit(definition);
        }

        return ordered;

        void Visit(Definition definition)
        {
            if (ordered.Contains(definition))
            {
                return;
            }

            if (!visiting.Add(definition))
            {
                throw new InvalidOperationException($"Storage/Definitions: {definition.FileName} depends on itself through the definitions it names.");
            }

            foreach (var dependency in definitions.Where(definition.Names))
            {
                Visit(dependency);
            }

            visiting.Remove(definition);
            ordered.Add(definition);
        }
    }

    /// <summary>Whether this definition's SQL, comments aside, names the other one (and so has to be created after it).</summary>
    public bool Names(Definition other) =>
        other != this && Regex.IsMatch(
            Comment().Replace(Sql, ""),
            other.Schema == "public" ? $@"(?<![\w.])(public\.)?{other.Name}(?!\w)" : $@"(?<![\w.]){other.Schema}\.{other.Name}(?!\w)");

    private static Definition Parse(string fileName, string sql)
    {
        var file = FilePattern().Match(fileName);
        var creates = Create().Matches(sql);
        if (!file.Success || creates.Count != 1)
        {
            throw new InvalidOperationException(
                $"Storage/Definitions/{fileName}: a definition file is named schema.name[.postgres|.timescaledb].sql and holds one CREATE OR REPLACE VIEW, FUNCTION or PROCEDURE.");
        }

        var (schema, name) = (file.Groups["schema"].Value, file.Groups["name"].Value);
        var created = creates[0].Groups["name"].Value;
        if (created != $"{schema}.{name}" && !(schema == "public" && created == name))
        {
            throw new InvalidOperationException($"Storage/Definitions/{fileName} creates {created}, not the {schema}.{name} its name says.");
        }

        SchemaFlavor? flavor = file.Groups["variant"].Value switch
        {
            "postgres" => SchemaFlavor.Postgres,
            "timescaledb" => SchemaFlavor.TimescaleDb,
            _ => null,
        };
        return new Definition(schema, name, Enum.Parse<DefinitionKind>(creates[0].Groups["kind"].Value, ignoreCase: true), flavor, fileName, sql);
    }

    [GeneratedRegex(@"^(?<schema>[a-z_]+)\.(?<name>[a-z0-9_]+)(\.(?<variant>timescaledb|postgres))?\.sql$")]
    private static partial Regex FilePattern();

    [GeneratedRegex(@"^CREATE OR REPLACE (?<kind>VIEW|FUNCTION|PROCEDURE) (?<name>[a-z0-9_.]+)", RegexOptions.Multiline)]
    private static partial Regex Create();

    [GeneratedRegex("--[^\n]*")]
    private static partial Regex Comment();
}
