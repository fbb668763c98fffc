using k8s;
using k8s.Models;

namespace GithubEvents.Tests.AppHost;

/// <summary>
/// The published manifests are hardened: every pod runs unprivileged on a read-only root filesystem, and
/// NetworkPolicies allow only the connections the pipeline makes.
/// </summary>
public sealed class KubernetesHardeningTests(KubernetesPublishTests.Published published) : IClassFixture<KubernetesPublishTests.Published>
{
    // Each image's own non-root user: the .NET SDK's images' app, apache/kafka's appuser, the Alpine postgres user of the
    // TimescaleDB image, grafana.
    private static readonly Dictionary<string, long> ImageUsers = new()
    {
        ["ingest"] = 1654,
        ["enrich"] = 1654,
        ["kafka"] = 1000,
        ["timescaledb"] = 70,
        ["grafana"] = 472,
    };

    // Where each image writes at run time, besides its claim.
    private static readonly Dictionary<string, string[]> WritablePaths = new()
    {
        ["ingest"] = ["/tmp"],
        ["enrich"] = ["/tmp"],
        ["kafka"] = ["/opt/kafka/config", "/opt/kafka/logs", "/tmp"],
        ["timescaledb"] = ["/tmp", "/var/run/postgresql"],
        ["grafana"] = ["/tmp", "/var/lib/grafana", "/var/log/grafana"],
    };

    // Every connection between pods that the pipeline makes; the policies must allow these and nothing else.
    private static readonly HashSet<(string From, string To, int Port)> Connections =
    [
        ("ingest", "kafka", 9092),
        ("enrich", "kafka", 9092),
        ("enrich", "timescaledb", 5432),
        ("grafana", "timescaledb", 5432),
    ];

    [Fact]
    public void Every_pod_runs_as_its_images_non_root_user_without_privileges_and_without_a_service_account_token()
    {
        var pods = published.Pods();
        Assert.Equal(ImageUsers.Keys.Order(), pods.Keys.Order());
        foreach (var (name, template) in pods)
        {
            var pod = template.Spec;
            Assert.False(pod.AutomountServiceAccountToken ?? true, $"{name} mounts a service-account token.");
            Assert.True(pod.SecurityContext.RunAsNonRoot, $"{name} may run as root.");
            Assert.Equal(ImageUsers[name], pod.SecurityContext.RunAsUser);
            Assert.Equal(ImageUsers[name], pod.SecurityContext.RunAsGroup);
            Assert.Equal(ImageUsers[name], pod.SecurityContext.FsGroup);
            Assert.Equal("RuntimeDefault", pod.SecurityContext.SeccompProfile.Type);
            foreach (var container in pod.Containers.Concat(pod.InitContainers ?? []))
            {
                var security = container.SecurityContext;
                Assert.False(security.AllowPrivilegeEscalation ?? true, $"{name} may escalate privileges.");
                Assert.True(security.ReadOnlyRootFilesystem, $"{name}'s root filesystem is writable.");
                Assert.Equal(["ALL"], security.Capabilities.Drop);
                Assert.Null(security.Capabilities.Add);
                Assert.NotEqual(true, security.Privileged);
                Assert.Null(security.RunAsUser);
            }
        }
    }

    [Fact]
    public void Every_path_a_container_writes_is_an_emptyDir_of_bounded_size_or_its_claim_and_every_other_mount_is_read_only()
    {
        foreach (var (name, template) in published.Pods())
        {
            Assert.Single(template.Spec.Containers);
            var volumes = (template.Spec.Volumes ?? []).ToDictionary(v => v.Name);
            // An init container runs the pod's image: it writes where the image does.
            foreach (var container in template.Spec.Containers.Concat(template.Spec.InitContainers ?? []))
            {
                var writable = container.VolumeMounts.Where(m => m.ReadOnlyProperty != true).ToList();
                var scratch = writable.Where(m => volumes.TryGetValue(m.Name, out var v) && v.EmptyDir is not null).ToList();

                Assert.Equal(WritablePaths[name], scratch.Select(m => m.MountPath).Order());
                Assert.All(scratch, m => Assert.NotNull(volumes[m.Name].EmptyDir.SizeLimit));
                // Whatever else is writable is the StatefulSet's claim.
                var claims = published.All<V1StatefulSet>().SingleOrDefault(s => s.Name() == name)?.Spec.VolumeClaimTemplates.Select(c => c.Name()).ToList() ?? [];
                Assert.All(writable.Except(scratch), m => Assert.Contains(m.Name, claims));
            }
        }
    }

    [Fact]
    public void A_default_deny_covers_every_pod_and_the_policies_allow_only_the_pipelines_own_connections_between_pods()
    {
        var pods = published.Pods();
        var policies = published.All<V1NetworkPolicy>().ToList();
        var deny = Assert.Single(policies, p => p.Spec.PodSelector.MatchLabels is null && p.Spec.Ingress is null && p.Spec.Egress is null);
        Assert.Equal(["Egress", "Ingress"], deny.Spec.PolicyTypes.Order());

        foreach (var (from, fromPod) in pods)
        {
            foreach (var (to, toPod) in pods.Where(p => p.Key != from))
            {
                foreach (var port in published.All<V1Service>().Single(s => s.Name() == to).Spec.Ports.Select(p => p.Port))
                {
                    var allowed = Allows(policies, fromPod, toPod, port);
                    Assert.True(allowed == Connections.Contains((from, to, port)), $"{from} -> {to}:{port} is {(allowed ? "allowed" : "denied")}.");
                }
            }
        }
    }

    [Fact]
    public void Only_Ingest_and_Enrich_leave_the_cluster_every_pod_resolves_names_and_anyone_reaches_Grafanas_UI()
    {
        var pods = published.Pods();
        var policies = published.All<V1NetworkPolicy>().ToList();
        foreach (var (name, pod) in pods)
        {
            var outside = Selecting(policies, pod, "Egress").SelectMany(p => p.Spec.Egress ?? []).Where(r => r.To?.Any(peer => peer.IpBlock is not null) == true).ToList();
            if (name is "ingest" or "enrich")
            {
                // GitHub, GH Archive and Nominatim, over HTTPS (and HTTP).
                var rule = Assert.Single(outside);
                Assert.Equal(["0.0.0.0/0", "::/0"], rule.To.Select(peer => peer.IpBlock.Cidr).Order(StringComparer.Ordinal));
                Assert.Equal(["443", "80"], rule.Ports.Select(p => p.Port.Value).Order(StringComparer.Ordinal));
            }
            else
            {
                Assert.Empty(outside);
            }

            var dns = Selecting(policies, pod, "Egress").SelectMany(p => p.Spec.Egress ?? [])
                .Single(r => r.To.Any(peer => peer.NamespaceSelector?.MatchLabels is { } labels && labels.TryGetValue("kubernetes.io/metadata.name", out var ns) && ns == "kube-system"));
            Assert.Equal(["TCP/53", "UDP/53"], dns.Ports.Select(p => $"{p.Protocol}/{p.Port.Value}").Order());
            Assert.Equal("kube-dns", Assert.Single(dns.To).PodSelector.MatchLabels["k8s-app"]);

            var fromAnywhere = Selecting(policies, pod, "Ingress").SelectMany(p => p.Spec.Ingress ?? []).Where(r => r.FromProperty is null).ToList();
            if (name == "grafana")
            {
                Assert.Equal(["3000"], Assert.Single(fromAnywhere).Ports.Select(p => p.Port.Value));
            }
            else
            {
                Assert.Empty(fromAnywhere);
            }
        }
    }

    [Fact]
    public async Task Every_published_document_is_valid_against_the_Kubernetes_schemas_and_has_no_unknown_field()
    {
        var (exitCode, output) = await KubernetesSchemas.ValidateAsync(published.Folder);

        Assert.True(exitCode == 0, output);
        Assert.Contains("NetworkPolicy/github-events-default-deny", output);
        Assert.Contains($"{published.Files.Sum(f => f.Documents.Count)} documents, 0 invalid", output);
        // KubernetesClient's models, read strictly, refuse a field that its API version does not have.
        foreach (var file in published.Files)
        {
            Assert.Equal(file.Documents.Count, KubernetesYaml.LoadAllFromString(file.Text, strict: true).Count);
        }
    }

    [Fact]
    public async Task The_schema_check_rejects_a_NetworkPolicy_that_Kubernetes_would_refuse()
    {
        var folder = Directory.CreateTempSubdirectory("github-events-k8s-invalid-").FullName;
        try
        {
            var policy = published.Files.Single(f => f.Path == "network-policies.yaml").Text;
            await File.WriteAllTextAsync(Path.Combine(folder, "network-policies.yaml"), policy.Replace("- Egress", "- Outbound", StringComparison.Ordinal), TestContext.Current.CancellationToken);

            var (exitCode, output) = await KubernetesSchemas.ValidateAsync(folder);

            Assert.Equal(1, exitCode);
            Assert.Contains("INVALID network-policies.yaml: NetworkPolicy/github-events-default-deny: data/spec/policyTypes/1 must be equal to one of the allowed values", output);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    /// <summary>
    /// Whether the policies let a pod of <paramref name="from"/> open a TCP connection to one of <paramref name="to"/> on
    /// <paramref name="port"/>: NetworkPolicy semantics for pods of one namespace, where a pod that a policy of a direction
    /// selects accepts only what some such policy's rules allow.
    /// </summary>
    private static bool Allows(IReadOnlyList<V1NetworkPolicy> policies, V1PodTemplateSpec from, V1PodTemplateSpec to, int port)
    {
        var egress = Selecting(policies, from, "Egress").ToList();
        var ingress = Selecting(policies, to, "Ingress").ToList();
        var leaves = egress.Count == 0 || egress.SelectMany(p => p.Spec.Egress ?? []).Any(r => Admits(r.To, to) && OnPort(r.Ports, port));
        var enters = ingress.Count == 0 || ingress.SelectMany(p => p.Spec.Ingress ?? []).Any(r => Admits(r.FromProperty, from) && OnPort(r.Ports, port));
        return leaves && enters;
    }

    private static IEnumerable<V1NetworkPolicy> Selecting(IEnumerable<V1NetworkPolicy> policies, V1PodTemplateSpec pod, string direction) =>
        policies.Where(p => Matches(p.Spec.PodSelector, pod) && p.Spec.PolicyTypes.Contains(direction));

    // A rule without peers admits everyone; a peer with a namespace selector names pods of other namespaces.
    private static bool Admits(IList<V1NetworkPolicyPeer>? peers, V1PodTemplateSpec pod) =>
        peers is null || peers.Any(peer => peer.NamespaceSelector is null && peer.IpBlock is null && Matches(peer.PodSelector, pod));

    private static bool Matches(V1LabelSelector? selector, V1PodTemplateSpec pod)
    {
        Assert.Null(selector?.MatchExpressions);
        return selector is not null && (selector.MatchLabels ?? new Dictionary<string, string>()).All(l => pod.Metadata.Labels.TryGetValue(l.Key, out var value) && value == l.Value);
    }

    private static bool OnPort(IList<V1NetworkPolicyPort>? ports, int port) =>
        ports is null || ports.Any(p => p.Protocol == "TCP" && p.Port.Value == port.ToString(System.Globalization.CultureInfo.InvariantCulture));
}
