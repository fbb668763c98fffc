using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Testing;
using GithubEvents.Tests.Grafana;
using k8s;
using k8s.Models;
using YamlDotNet.RepresentationModel;
using static GithubEvents.Tests.AppHost.ModelInspection;

namespace GithubEvents.Tests.AppHost;

/// <summary>Issue 27: the alerts reach a webhook or e-mail besides Grafana's default contact point when the AppHost's settings ask.</summary>
public sealed class AlertContactPointsTests : IDisposable
{
    private readonly string _output = Directory.CreateTempSubdirectory("github-events-k8s-").FullName;

    [Fact]
    public async Task A_deployment_carries_the_contact_points_in_the_provisioning_ConfigMap_and_their_secret_in_the_Secret()
    {
        const string webhook = "https://hooks.example.org/NeverWrittenT0KEN";
        var (exitCode, log) = await AppHostProcess.RunAsync(
            new Dictionary<string, string> { ["Parameters__grafana-alert-webhook-url"] = webhook },
            "--operation", "publish", "--step", "publish", "--output-path", _output);

        Assert.True(exitCode == 0, log);
        var texts = Directory.EnumerateFiles(_output, "*.yaml", SearchOption.AllDirectories).Select(File.ReadAllText).ToList();
        var documents = texts.SelectMany(text => KubernetesYaml.LoadAllFromString(text)).ToList();
        var file = Path.GetFileName(AlertContactPoints.RelativePath);
        Assert.Equal(AlertContactPoints.Render(webhook: true, email: false),
            Assert.Single(documents.OfType<V1ConfigMap>(), map => map.Data?.ContainsKey(file) == true).Data[file]);
        var grafana = documents.OfType<V1Deployment>().Single(d => d.Name() == "grafana").Spec.Template.Spec.Containers[0];
        Assert.Equal("grafana-alert-webhook-url", grafana.Env.Single(e => e.Name == "GITHUB_EVENTS_ALERT_WEBHOOK_URL").ValueFrom.SecretKeyRef.Key);
        Assert.DoesNotContain(texts, text => text.Contains("NeverWrittenT0KEN", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_webhook_and_e_mail_reach_Grafana_as_secret_parameters_and_settings_and_without_them_nothing_is_added()
    {
        await using var configured = await DistributedApplicationTestingBuilder.CreateAsync<Projects.GithubEvents_AppHost>(
            [
                "--AppHost:Mode=Local", AnsweringContainerRuntime.Argument,
                "--Parameters:grafana-alert-webhook-url=https://hooks.example.org/T0KEN", "--Grafana:Alerts:Email=ops@example.org;oncall@example.org",
                "--Grafana:Smtp:Host=smtp.example.org:587", "--Grafana:Smtp:User=alerts", "--Grafana:Smtp:From=alerts@example.org",
                "--Parameters:grafana-smtp-password=SmtpSecret1",
            ],
            TestContext.Current.CancellationToken);

        var grafana = await PublishedEnvironment(Resource(configured, "grafana"));

        Assert.Equal("{grafana-alert-webhook-url.value}", grafana["GITHUB_EVENTS_ALERT_WEBHOOK_URL"]);
        Assert.Equal("ops@example.org;oncall@example.org", grafana["GITHUB_EVENTS_ALERT_EMAILS"]);
        Assert.Equal(("true", "smtp.example.org:587", "alerts", "alerts@example.org", "{grafana-smtp-password.value}"),
            (grafana["GF_SMTP_ENABLED"], grafana["GF_SMTP_HOST"], grafana["GF_SMTP_USER"], grafana["GF_SMTP_FROM_ADDRESS"], grafana["GF_SMTP_PASSWORD"]));
        Assert.True(Resource(configured, "grafana-alert-webhook-url") is ParameterResource { Secret: true });
        Assert.True(Resource(configured, "grafana-smtp-password") is ParameterResource { Secret: true });

        await using var plain = await DistributedApplicationTestingBuilder.CreateAsync<Projects.GithubEvents_AppHost>(
            ["--AppHost:Mode=Local", AnsweringContainerRuntime.Argument], TestContext.Current.CancellationToken);
        var defaults = await PublishedEnvironment(Resource(plain, "grafana"));
        Assert.DoesNotContain(defaults.Keys, key => key.StartsWith("GF_SMTP_", StringComparison.Ordinal) || key.StartsWith("GITHUB_EVENTS_ALERT_", StringComparison.Ordinal));
        Assert.DoesNotContain(plain.Resources, resource => resource.Name is "grafana-alert-webhook-url" or "grafana-smtp-password");
    }

    [Fact]
    public void E_mail_without_an_SMTP_server_stops_start_up_naming_both_settings()
    {
        var builder = DistributedApplication.CreateBuilder(["--Grafana:Alerts:Email=ops@example.org"]);
        var grafana = builder.AddGrafana("grafana", builder.AddParameter("admin", "pw", secret: true), LiveDashboard.ProvisioningDirectory);

        var error = Assert.Throws<DistributedApplicationException>(() => grafana.WithAlertContactPoints());

        Assert.Contains("Grafana:Alerts:Email", error.Message);
        Assert.Contains("Grafana:Smtp:Host", error.Message);
    }

    [Theory]
    [InlineData(true, false)]
    [InlineData(false, true)]
    [InlineData(true, true)]
    public void The_written_file_has_the_chosen_receivers_reading_their_values_from_the_environment_and_routes_every_rule_to_them_and_the_default(bool webhook, bool email)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(AlertContactPoints.Render(webhook, email)));
        var root = (YamlMappingNode)stream.Documents.Single().RootNode;

        var contactPoint = (YamlMappingNode)Assert.Single(((YamlSequenceNode)root["contactPoints"]).Children);
        Assert.Equal(AlertContactPoints.Name, ProvisioningYaml.Scalar(contactPoint, "name"));
        var receivers = ((YamlSequenceNode)contactPoint["receivers"]).Children.Cast<YamlMappingNode>().ToList();
        Assert.Equal(new[] { webhook ? "webhook" : null, email ? "email" : null }.OfType<string>(), receivers.Select(r => ProvisioningYaml.Scalar(r, "type")));
        var settings = receivers.SelectMany(r => ((YamlMappingNode)r["settings"]).Children.Values.OfType<YamlScalarNode>()).Select(value => value.Value ?? "");
        Assert.Equal(new[] { webhook ? "GITHUB_EVENTS_ALERT_WEBHOOK_URL" : null, email ? "GITHUB_EVENTS_ALERT_EMAILS" : null }.OfType<string>(),
            settings.SelectMany(ProvisioningYaml.References));

        var policy = (YamlMappingNode)Assert.Single(((YamlSequenceNode)root["policies"]).Children);
        var routes = ((YamlSequenceNode)policy["routes"]).Children.Cast<YamlMappingNode>().ToList();
        Assert.Equal([AlertContactPoints.Name, "grafana-default-email"], routes.Select(route => ProvisioningYaml.Scalar(route, "receiver")));
        Assert.Equal("true", ProvisioningYaml.Scalar(routes[0], "continue"));
        var matcher = ((YamlSequenceNode)Assert.Single(((YamlSequenceNode)routes[0]["object_matchers"]).Children)).Children.Select(node => ((YamlScalarNode)node).Value).ToList();
        Assert.Equal("severity", matcher[0]);
        Assert.Equal("=~", matcher[1]);
        Assert.All(AlertRuleFile.LoadAll(), rule => Assert.Matches($"^({matcher[2]})$", rule.Labels["severity"]));
    }

    [Fact]
    public void The_committed_file_provisions_no_contact_point()
    {
        var committed = ProvisioningYaml.Parse(Path.Combine(LiveDashboard.ProvisioningDirectory, AlertContactPoints.RelativePath));

        Assert.Equal(["apiVersion"], committed.Children.Keys.Select(key => ((YamlScalarNode)key).Value));
    }

    public void Dispose() => Directory.Delete(_output, recursive: true);
}
