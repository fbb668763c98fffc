using System.Text.RegularExpressions;
using YamlDotNet.RepresentationModel;

namespace GithubEvents.Tests.Grafana;

/// <summary>
/// The alert rule files, checked for what Grafana's file provisioning checks when it loads them (unique uids, the
/// condition and every expression's input naming a query of the rule, valid states, the provisioned datasource) and for
/// what the issue asks of each rule.
/// </summary>
public sealed partial class AlertRuleFileTests
{
    // Grafana 12's states for a query without data and for a failed evaluation.
    private static readonly string[] NoDataStates = ["Alerting", "NoData", "OK", "KeepLast"];
    private static readonly string[] ExecErrStates = ["Alerting", "Error", "OK", "KeepLast"];

    // The server-side expressions the rules may use, and the reducers Grafana's reduce knows.
    private static readonly string[] ExpressionTypes = ["reduce", "threshold", "math"];
    private static readonly string[] Reducers = ["last", "max", "min", "sum", "mean", "count"];

    [Fact]
    public void The_rules_are_the_ones_the_issue_asks_for_in_the_folder_GitHub_Events()
    {
        var rules = AlertRuleFile.LoadAll();

        Assert.Equal(AlertRuleQueryTests.Faults.Keys.Order(StringComparer.Ordinal), rules.Select(rule => rule.Uid).Order(StringComparer.Ordinal));
        Assert.All(rules, rule => Assert.Equal("GitHub Events", rule.Folder));
    }

    [Fact]
    public void Every_uid_is_unique_and_a_valid_Grafana_uid()
    {
        var uids = AlertRuleFile.LoadAll().Select(rule => rule.Uid).ToList();

        Assert.Equal(uids.Count, uids.Distinct().Count());
        Assert.All(uids, uid => Assert.Matches("^[a-zA-Z0-9_-]{1,40}$", uid));
    }

    [Fact]
    public void The_condition_and_every_expression_input_name_a_query_of_the_rule()
    {
        foreach (var rule in AlertRuleFile.LoadAll())
        {
            var refIds = rule.Data.Select(query => query.RefId).ToList();
            Assert.Equal(refIds.Count, refIds.Distinct().Count());
            Assert.Contains(rule.Condition, refIds);
            foreach (var query in rule.Data)
            {
                Assert.Equal(query.RefId, query.Field("refId"));
                if (query.IsExpression)
                {
                    Assert.Contains(query.Field("type")!, ExpressionTypes);
                    var input = query.Field("expression");
                    Assert.True(input is not null && refIds.Contains(input) && input != query.RefId, $"{rule.Uid}/{query.RefId}: input '{input}' is no other query");
                    if (query.Field("type") == "reduce")
                    {
                        Assert.Contains(query.Field("reducer")!, Reducers);
                    }
                }
            }

            Assert.Equal("threshold", rule[rule.Condition].Field("type"));
        }
    }

    [Fact]
    public void The_states_and_the_pending_period_are_ones_Grafana_accepts()
    {
        foreach (var rule in AlertRuleFile.LoadAll())
        {
            Assert.Contains(rule.NoDataState, NoDataStates);
            Assert.Contains(rule.ExecErrState, ExecErrStates);
            Assert.Matches("^[0-9]+(s|m|h)$", rule.For);
        }
    }

    [Fact]
    public void Every_query_reads_the_provisioned_datasource_as_SQL_that_Grafana_sends_unchanged()
    {
        var datasources = ProvisioningYaml.Load(Path.Combine("datasources", "timescaledb.yaml"), new Dictionary<string, string>());
        var uid = ProvisioningYaml.Scalar((YamlMappingNode)((YamlSequenceNode)datasources["datasources"]).Children.Single(), "uid");

        foreach (var rule in AlertRuleFile.LoadAll())
        {
            var query = rule.Query;
            Assert.Equal(uid, query.DatasourceUid);
            Assert.Equal("table", query.Field("format"));
            Assert.Equal("true", query.Field("rawQuery"));
            // Grafana puts environment variables into the provisioned strings: a "$" would be taken for one.
            Assert.DoesNotContain("$", query.Field("rawSql")!, StringComparison.Ordinal);
            Assert.True(query.From > query.To, $"{rule.Uid}: an empty relative time range");
            foreach (Match window in Window().Matches(query.Field("rawSql")!))
            {
                Assert.True(GrafanaMacros.ParseInterval(window.Groups["amount"].Value + window.Groups["unit"].Value[0]) <= query.From,
                    $"{rule.Uid}: its window '{window.Value}' reaches past its relative time range");
            }
        }
    }

    [Fact]
    public void Every_rule_has_a_summary_a_description_a_runbook_in_the_operations_docs_and_a_severity()
    {
        var anchors = Anchors(File.ReadAllLines(Path.Combine(GithubEvents.Tests.AppHost.AppHostProcess.RepositoryRoot(), "docs", "operations.md")));

        foreach (var rule in AlertRuleFile.LoadAll())
        {
            Assert.False(string.IsNullOrWhiteSpace(rule.Annotations.GetValueOrDefault("summary")), $"{rule.Uid}: no summary");
            var runbook = rule.Annotations["runbook_url"];
            Assert.StartsWith("docs/operations.md#", runbook);
            Assert.Contains(runbook["docs/operations.md#".Length..], anchors);
            Assert.Contains(runbook, rule.Annotations["description"]);
            Assert.Contains(rule.Labels["severity"], new[] { "critical", "warning" });
            // Templates read .Values: "$values" would be taken for an environment variable.
            Assert.DoesNotContain("$", rule.Annotations["summary"], StringComparison.Ordinal);
        }
    }

    // GitHub's heading anchors: lower case, punctuation but '-' dropped, spaces to '-'.
    private static HashSet<string> Anchors(IEnumerable<string> lines) =>
        lines.Where(line => line.StartsWith('#'))
            .Select(line => HeadingPunctuation().Replace(line.TrimStart('#').Trim().ToLowerInvariant(), "").Replace(' ', '-'))
            .ToHashSet();

    [GeneratedRegex(@"[^\w\- ]")]
    private static partial Regex HeadingPunctuation();

    [GeneratedRegex(@"INTERVAL '(?<amount>[0-9]+) (?<unit>minute|hour|second)s?'")]
    private static partial Regex Window();
}
