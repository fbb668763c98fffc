using Aspire.Hosting;
using GithubEvents.Tests.Grafana;
using k8s;
using k8s.Models;

namespace GithubEvents.Tests.AppHost;

/// <summary>
/// Issue 27: the live share alert's threshold is the AppHost's setting <c>Grafana:Alerts:MinLiveShare</c>, written into the
/// rules' file (Grafana puts no environment variable into a rule's model), for a run and for the Kubernetes manifests.
/// </summary>
public sealed class AlertRuleThresholdsTests : IDisposable
{
    private static readonly string Committed = File.ReadAllText(Path.Combine(LiveDashboard.ProvisioningDirectory, AlertRuleThresholds.RelativePath));

    private readonly string _output = Directory.CreateTempSubdirectory("github-events-k8s-").FullName;

    [Fact]
    public void The_committed_rules_hold_the_settings_default()
    {
        Assert.Equal(new GrafanaAlertOptions().MinLiveShare, AlertRuleThresholds.MinLiveShare(Committed));
        Assert.Equal([new GrafanaAlertOptions().MinLiveShare], LiveShareRule(Committed).Params);
    }

    [Fact]
    public void The_written_rules_differ_from_the_committed_ones_in_the_live_share_threshold_alone()
    {
        var written = AlertRuleThresholds.Render(Committed, 0.25);

        var (type, parameters) = LiveShareRule(written);
        Assert.Equal("lt", type);
        Assert.Equal([0.25], parameters);
        var changed = written.Split('\n').Skip(1).Zip(Committed.Split('\n')).Where(lines => lines.First != lines.Second).ToList();
        Assert.Equal(Committed.Split('\n').Length, written.Split('\n').Length - 1);
        Assert.Equal("- 0.25 # Grafana:Alerts:MinLiveShare", Assert.Single(changed).First.Trim());
    }

    [Theory]
    [InlineData("1.5")]
    [InlineData("-0.1")]
    [InlineData("a fifth")]
    public void A_live_share_threshold_that_is_no_share_stops_start_up_naming_the_setting(string value)
    {
        var builder = DistributedApplication.CreateBuilder([$"--Grafana:Alerts:MinLiveShare={value}"]);
        var grafana = builder.AddGrafana("grafana", builder.AddParameter("admin", "pw", secret: true), LiveDashboard.ProvisioningDirectory);

        var error = Assert.Throws<DistributedApplicationException>(() => grafana.WithAlertRuleThresholds(LiveDashboard.ProvisioningDirectory));

        Assert.Contains("Grafana:Alerts:MinLiveShare", error.Message);
    }

    [Fact]
    public async Task The_deployed_rules_carry_the_live_share_threshold_of_the_setting()
    {
        var (exitCode, log) = await AppHostProcess.RunAsync(
            new Dictionary<string, string> { ["Grafana__Alerts__MinLiveShare"] = "0.25" },
            "--operation", "publish", "--step", "publish", "--output-path", _output);

        Assert.True(exitCode == 0, log);
        var configMaps = Directory.EnumerateFiles(_output, "*.yaml", SearchOption.AllDirectories)
            .SelectMany(file => KubernetesYaml.LoadAllFromString(File.ReadAllText(file))).OfType<V1ConfigMap>();
        var deployed = Assert.Single(configMaps, map => map.Data?.ContainsKey(Path.GetFileName(AlertRuleThresholds.RelativePath)) == true)
            .Data[Path.GetFileName(AlertRuleThresholds.RelativePath)];
        Assert.Equal(AlertRuleThresholds.Render(Committed, 0.25), deployed);
    }

    private static (string Type, double[] Params) LiveShareRule(string rules)
    {
        var rule = AlertRuleFile.Rules(rules).Single(rule => rule.Uid == "ge-live-share-low");
        return rule[rule.Condition].Evaluator();
    }

    public void Dispose() => Directory.Delete(_output, recursive: true);
}
