using System.Text.RegularExpressions;
using YamlDotNet.RepresentationModel;

namespace GithubEvents.Tests.Grafana;

/// <summary>The provisioning folder's YAML files as Grafana reads them: parsed, then environment variables put into their strings.</summary>
internal static partial class ProvisioningYaml
{
    // Grafana parses a provisioning file, then replaces $VAR and ${VAR} in its string values with the environment's.
    public static YamlMappingNode Load(string relativePath, IReadOnlyDictionary<string, string> environment)
    {
        var root = Parse(Path.Combine(LiveDashboard.ProvisioningDirectory, relativePath));
        foreach (var scalar in root.AllNodes.OfType<YamlScalarNode>().Where(scalar => scalar.Value is not null))
        {
            scalar.Value = EnvironmentReference().Replace(scalar.Value!, match => environment.GetValueOrDefault(match.Groups["name"].Value, ""));
        }

        return root;
    }

    public static YamlMappingNode Parse(string file) => ParseText(File.ReadAllText(file));

    public static YamlMappingNode ParseText(string text)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(text));
        return (YamlMappingNode)stream.Documents.Single().RootNode;
    }

    /// <summary>The environment variables a string reads.</summary>
    public static IEnumerable<string> References(string value) => EnvironmentReference().Matches(value).Select(match => match.Groups["name"].Value);

    public static string Scalar(YamlMappingNode node, string key) => ((YamlScalarNode)node[key]).Value!;

    [GeneratedRegex(@"\$\{?(?<name>[A-Z_][A-Z0-9_]*)\}?")]
    private static partial Regex EnvironmentReference();
}
