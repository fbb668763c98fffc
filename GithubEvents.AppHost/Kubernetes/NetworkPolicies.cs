using k8s;
using k8s.Models;

namespace GithubEvents.AppHost.Kubernetes;

/// <summary>
/// The NetworkPolicies of a deployment: every pod of the namespace denied every connection in and out but DNS, then
/// for each workload the connections its values name (Enrich to the database and Kafka, Grafana to the database...),
/// allowed at both ends on those ports only, and those its resource declares: out of the cluster
/// (<see cref="EgressOutsideClusterAnnotation"/>) and in from anywhere (<see cref="IngressFromAnywhereAnnotation"/>).
/// </summary>
internal static class NetworkPolicies
{
    private static readonly string[] BothDirections = ["Ingress", "Egress"];

    public static IReadOnlyList<IKubernetesObject> For(IReadOnlyList<WorkloadTraffic> workloads, string applicationName)
    {
        var labels = new Dictionary<string, string> { [KubernetesManifests.PartOfLabel] = applicationName };
        var policies = new List<IKubernetesObject>
        {
            Policy($"{applicationName}-default-deny", labels, new V1LabelSelector(), ingress: [], egress: []),
            Policy($"{applicationName}-dns", labels, new V1LabelSelector(), ingress: [], egress: [Dns()]),
        };

        var names = workloads.Select(w => w.Resource.Name).ToHashSet(StringComparer.Ordinal);
        foreach (var workload in workloads)
        {
            var name = workload.Resource.Name;
            var egress = workload.Reaches
                .Where(target => target.Resource != name && names.Contains(target.Resource))
                .GroupBy(target => target.Resource, StringComparer.Ordinal)
                .Select(target => new V1NetworkPolicyEgressRule { To = [PodsOf(target.Key)], Ports = Tcp(target.Select(t => t.Port)) })
                .ToList();
            var outside = workload.Resource.Annotations.OfType<EgressOutsideClusterAnnotation>().Select(a => a.Ports).ToList();
            if (workload.ReachesExistingServer)
            {
                // The server's address and port are in the Secret, out of the manifests' sight.
                outside.Add([]);
            }

            if (outside.Count > 0)
            {
                egress.Add(new V1NetworkPolicyEgressRule
                {
                    To = [new V1NetworkPolicyPeer { IpBlock = new V1IPBlock { Cidr = "0.0.0.0/0" } }, new V1NetworkPolicyPeer { IpBlock = new V1IPBlock { Cidr = "::/0" } }],
                    Ports = outside.Any(ports => ports.Count == 0) ? null : Tcp(outside.SelectMany(ports => ports)),
                });
            }

            var ingress = workloads
                .Where(client => client.Resource.Name != name)
                .Select(client => (Client: client.Resource.Name, Ports: client.Reaches.Where(target => target.Resource == name).Select(target => target.Port).ToList()))
                .Where(client => client.Ports.Count > 0)
                .Select(client => new V1NetworkPolicyIngressRule { FromProperty = [PodsOf(client.Client)], Ports = Tcp(client.Ports) })
                .ToList();
            if (workload.Resource.Annotations.OfType<IngressFromAnywhereAnnotation>().Any() && workload.ServedPorts.Count > 0)
            {
                ingress.Add(new V1NetworkPolicyIngressRule { Ports = Tcp(workload.ServedPorts) });
            }

            if (ingress.Count > 0 || egress.Count > 0)
            {
                policies.Add(Policy(name, new Dictionary<string, string>(labels) { [KubernetesManifests.NameLabel] = name }, Selector(name), ingress, egress));
            }
        }

        return policies;
    }

    private static V1NetworkPolicy Policy(string name, Dictionary<string, string> labels, V1LabelSelector pods, List<V1NetworkPolicyIngressRule> ingress, List<V1NetworkPolicyEgressRule> egress) => new()
    {
        ApiVersion = "networking.k8s.io/v1",
        Kind = "NetworkPolicy",
        Metadata = new V1ObjectMeta { Name = name, Labels = labels },
        Spec = new V1NetworkPolicySpec
        {
            PodSelector = pods,
            PolicyTypes = BothDirections,
            Ingress = ingress.Count > 0 ? ingress : null,
            Egress = egress.Count > 0 ? egress : null,
        },
    };

    /// <summary>The cluster's DNS (kube-dns, which CoreDNS keeps the label of), over UDP and TCP.</summary>
    private static V1NetworkPolicyEgressRule Dns() => new()
    {
        To =
        [
            new V1NetworkPolicyPeer
            {
                NamespaceSelector = new V1LabelSelector { MatchLabels = new Dictionary<string, string> { ["kubernetes.io/metadata.name"] = "kube-system" } },
                PodSelector = new V1LabelSelector { MatchLabels = new Dictionary<string, string> { ["k8s-app"] = "kube-dns" } },
            },
        ],
        Ports = [new V1NetworkPolicyPort { Protocol = "UDP", Port = 53 }, new V1NetworkPolicyPort { Protocol = "TCP", Port = 53 }],
    };

    private static V1LabelSelector Selector(string workload) =>
        new() { MatchLabels = new Dictionary<string, string> { [KubernetesManifests.NameLabel] = workload } };

    private static V1NetworkPolicyPeer PodsOf(string workload) => new() { PodSelector = Selector(workload) };

    private static List<V1NetworkPolicyPort> Tcp(IEnumerable<int> ports) =>
        ports.Distinct().Order().Select(port => new V1NetworkPolicyPort { Protocol = "TCP", Port = port }).ToList();
}
