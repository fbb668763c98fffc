using YamlDotNet.RepresentationModel;

namespace GithubEvents.Tests.Grafana;

/// <summary>The alert rules in the provisioning folder's <c>alerting/</c> files, read as Grafana's file provisioning reads them.</summary>
internal static class AlertRuleFile
{
    public static readonly string Directory = Path.Combine(LiveDashboard.ProvisioningDirectory, "alerting");

    public static IReadOnlyList<AlertRule> LoadAll() =>
        System.IO.Directory.GetFiles(Directory, "*.yaml").Order(StringComparer.Ordinal)
            .SelectMany(file => Rules(ProvisioningYaml.Load(Path.Combine("alerting", Path.GetFileName(file)), new Dictionary<string, string>()))).ToList();

    /// <summary>The rules of a rules file's text, as the AppHost writes one.</summary>
    public static IReadOnlyList<AlertRule> Rules(string text) => Rules(ProvisioningYaml.ParseText(text)).ToList();

    public static AlertRule Rule(string uid) =>
        LoadAll().SingleOrDefault(rule => rule.Uid == uid) ?? throw new Xunit.Sdk.XunitException($"No alert rule '{uid}'.");

    private static IEnumerable<AlertRule> Rules(YamlMappingNode root)
    {
        Assert.Equal("1", ProvisioningYaml.Scalar(root, "apiVersion"));
        // The contact points' file holds no rules.
        if (!root.Children.ContainsKey("groups"))
        {
            yield break;
        }

        foreach (var group in ((YamlSequenceNode)root["groups"]).Children.Cast<YamlMappingNode>())
        {
            var folder = ProvisioningYaml.Scalar(group, "folder");
            foreach (var rule in ((YamlSequenceNode)group["rules"]).Children.Cast<YamlMappingNode>())
            {
                yield return new AlertRule(
                    folder,
                    ProvisioningYaml.Scalar(rule, "uid"),
                    ProvisioningYaml.Scalar(rule, "title"),
                    ProvisioningYaml.Scalar(rule, "condition"),
                    ((YamlSequenceNode)rule["data"]).Children.Cast<YamlMappingNode>().Select(Query).ToList(),
                    ProvisioningYaml.Scalar(rule, "noDataState"),
                    ProvisioningYaml.Scalar(rule, "execErrState"),
                    ProvisioningYaml.Scalar(rule, "for"),
                    Map(rule, "annotations"),
                    Map(rule, "labels"));
            }
        }
    }

    private static AlertQuery Query(YamlMappingNode node)
    {
        var range = (YamlMappingNode)node["relativeTimeRange"];
        return new AlertQuery(
            ProvisioningYaml.Scalar(node, "refId"),
            ProvisioningYaml.Scalar(node, "datasourceUid"),
            TimeSpan.FromSeconds(long.Parse(ProvisioningYaml.Scalar(range, "from"), System.Globalization.CultureInfo.InvariantCulture)),
            TimeSpan.FromSeconds(long.Parse(ProvisioningYaml.Scalar(range, "to"), System.Globalization.CultureInfo.InvariantCulture)),
            (YamlMappingNode)node["model"]);
    }

    private static Dictionary<string, string> Map(YamlMappingNode rule, string key) =>
        rule.Children.TryGetValue(key, out var node)
            ? ((YamlMappingNode)node).Children.ToDictionary(entry => ((YamlScalarNode)entry.Key).Value!, entry => ((YamlScalarNode)entry.Value).Value!)
            : [];
}
