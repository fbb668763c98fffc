using k8s;
using k8s.Models;

namespace GithubEvents.Tests.AppHost;

public sealed class KubernetesPublishSettingsTests : IDisposable
{
    private readonly string _output = Directory.CreateTempSubdirectory("github-events-k8s-").FullName;

    [Theory]
    [InlineData("Kubernetes__ImageRegistry", "https://registry.example.test", "Kubernetes:ImageRegistry")]
    [InlineData("Enrich__Replicas", "0", "Enrich:Replicas")]
    public async Task A_bad_setting_stops_publishing_with_a_message_naming_it(string variable, string value, string setting)
    {
        var (exitCode, log) = await AppHostProcess.RunAsync(
            new Dictionary<string, string> { [variable] = value },
            "--operation", "publish", "--step", "publish", "--output-path", _output);

        Assert.NotEqual(0, exitCode);
        Assert.Contains(setting, log);
        Assert.Empty(Directory.EnumerateFiles(_output, "*", SearchOption.AllDirectories));
    }

    [Fact]
    public async Task With_existing_servers_the_services_and_Grafana_are_deployed_with_their_connection_values_from_the_Secret()
    {
        const string kafka = "broker1.example.test:9092";
        const string database = "Host=db.example.test;Database=github_events;Username=app;Password=ExistingDbPasswordNeverWritten";

        var (exitCode, log) = await AppHostProcess.RunAsync(
            new Dictionary<string, string> { ["ConnectionStrings__kafka"] = kafka, ["ConnectionStrings__github-events"] = database, ["Grafana__AllowServiceLogin"] = "true" },
            "--operation", "publish", "--step", "publish", "--output-path", _output);

        Assert.True(exitCode == 0, log);
        var texts = Directory.EnumerateFiles(_output, "*.yaml", SearchOption.AllDirectories).Select(File.ReadAllText).ToList();
        var documents = texts.SelectMany(t => KubernetesYaml.LoadAllFromString(t)).ToList();
        Assert.Equal(["enrich", "grafana", "ingest"], documents.OfType<V1Deployment>().Select(d => d.Name()).Order());
        Assert.Empty(documents.OfType<V1StatefulSet>());
        Assert.Equal(
            ["archive-s3-access-key-id", "archive-s3-secret-access-key", "geocoding-user-agent", "github-events", "github-token", "grafana-admin-password", "grafana-database-password", "kafka"],
            Assert.Single(documents.OfType<V1Secret>()).StringData.Keys.Order());

        var enrich = documents.OfType<V1Deployment>().Single(d => d.Name() == "enrich").Spec.Template.Spec.Containers[0];
        Assert.Equal("kafka", enrich.Env.Single(e => e.Name == "ConnectionStrings__kafka").ValueFrom.SecretKeyRef.Key);
        Assert.Equal("github-events", enrich.Env.Single(e => e.Name == "ConnectionStrings__github-events").ValueFrom.SecretKeyRef.Key);
        // Grafana reads the existing database with the login of its connection string (no reader's is configured, and the
        // operator allows it).
        var grafana = documents.OfType<V1Deployment>().Single(d => d.Name() == "grafana").Spec.Template.Spec.Containers[0];
        Assert.Equal("db.example.test:5432", grafana.Env.Single(e => e.Name == "GITHUB_EVENTS_DB_HOST").Value);
        Assert.Equal("app", grafana.Env.Single(e => e.Name == "GITHUB_EVENTS_DB_READER_USER").Value);
        Assert.Equal("grafana-database-password", grafana.Env.Single(e => e.Name == "GITHUB_EVENTS_DB_READER_PASSWORD").ValueFrom.SecretKeyRef.Key);
        Assert.DoesNotContain(texts, t => t.Contains("ExistingDbPasswordNeverWritten", StringComparison.Ordinal) || t.Contains("broker1.example.test", StringComparison.Ordinal));

        // The servers are outside the cluster: Grafana may leave it for the database's port; the services, whose servers'
        // addresses only the Secret knows, on every port.
        var outside = documents.OfType<V1NetworkPolicy>().ToDictionary(
            p => p.Name(),
            p => (p.Spec.Egress ?? []).Where(r => r.To?.Any(peer => peer.IpBlock?.Cidr == "0.0.0.0/0") == true).ToList());
        Assert.Equal(["5432"], Assert.Single(outside["grafana"]).Ports.Select(p => p.Port.Value));
        Assert.Null(Assert.Single(outside["enrich"]).Ports);
        Assert.Null(Assert.Single(outside["ingest"]).Ports);
    }

    public void Dispose() => Directory.Delete(_output, recursive: true);
}
