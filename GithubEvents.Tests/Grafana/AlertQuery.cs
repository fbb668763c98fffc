using YamlDotNet.RepresentationModel;

namespace GithubEvents.Tests.Grafana;

/// <summary>One entry of a rule's data: a datasource query or a server-side expression (<c>__expr__</c>), with its model.</summary>
internal sealed record AlertQuery(string RefId, string DatasourceUid, TimeSpan From, TimeSpan To, YamlMappingNode Model)
{
    public const string ExpressionDatasource = "__expr__";

    public bool IsExpression => DatasourceUid == ExpressionDatasource;

    public string? Field(string key) => Model.Children.TryGetValue(key, out var node) ? ((YamlScalarNode)node).Value : null;

    /// <summary>The threshold's evaluator: its type (gt, lt, within_range, outside_range...) and parameters.</summary>
    public (string Type, double[] Params) Evaluator()
    {
        var evaluator = (YamlMappingNode)((YamlMappingNode)((YamlSequenceNode)Model["conditions"]).Children.Single())["evaluator"];
        return (ProvisioningYaml.Scalar(evaluator, "type"),
            ((YamlSequenceNode)evaluator["params"]).Children.Select(node => double.Parse(((YamlScalarNode)node).Value!, System.Globalization.CultureInfo.InvariantCulture)).ToArray());
    }
}
