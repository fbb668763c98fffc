#pragma warning disable ASPIREPROBES001 // EndpointProbeAnnotation: the probes the resources declare.

using System.Text.RegularExpressions;
using k8s;
using k8s.Models;

namespace GithubEvents.AppHost.Kubernetes;

/// <summary>
/// Builds the Kubernetes objects of every container and project of the Aspire model: a Deployment, or a
/// StatefulSet where the resource has persistent storage, a Service for its endpoints, ConfigMaps for the
/// files it mounts, the NetworkPolicies of the connections between them, and one Secret template for every
/// parameter the workloads read. Every pod runs as its image's non-root user on a read-only root filesystem.
/// </summary>
internal sealed partial class KubernetesManifests(DistributedApplicationModel model, DistributedApplicationExecutionContext executionContext, KubernetesPublishingOptions options)
{
    public const string NameLabel = "app.kubernetes.io/name";
    public const string PartOfLabel = "app.kubernetes.io/part-of";

    private const string DataVolume = "data";

    // An emptyDir fills the node's disk: past this the kubelet evicts the pod, which starts again with it empty.
    private const string WritableVolumeSize = "1Gi";

    private readonly ServicePorts _ports = new();
    private readonly SortedDictionary<string, ParameterResource> _parameters = new(StringComparer.Ordinal);

    public string SecretName => $"{options.Name}-parameters";

    public async Task<IReadOnlyList<ManifestFile>> BuildAsync(CancellationToken cancellationToken)
    {
        var files = new List<ManifestFile>();
        var traffic = new List<WorkloadTraffic>();
        foreach (var resource in model.Resources.Where(IsWorkload))
        {
            var resolver = new ManifestValueResolver(_ports);
            files.Add(new($"{resource.Name}.yaml", await WorkloadAsync(resource, resolver, cancellationToken)));
            var served = _ports.Served(resource).Select(e => _ports.PortOf(resource, e)).ToList();
            traffic.Add(new WorkloadTraffic(resource, served, resolver.Endpoints, resolver.NamesExistingServer));
        }

        files.Add(new("network-policies.yaml", NetworkPolicies.For(traffic, options.Name)));

        if (_parameters.Count > 0)
        {
            files.Add(new(Path.Combine("secrets", $"{SecretName}.yaml"), [ParametersSecret()], SecretHeader()));
        }

        return files;
    }

    private static bool IsWorkload(IResource resource) =>
        resource is ContainerResource or ProjectResource
        && !(resource.TryGetLastAnnotation<ManifestPublishingCallbackAnnotation>(out var manifest) && manifest == ManifestPublishingCallbackAnnotation.Ignore);

    private async Task<IReadOnlyList<IKubernetesObject>> WorkloadAsync(IResource resource, ManifestValueResolver resolver, CancellationToken cancellationToken)
    {
        var labels = new Dictionary<string, string>
        {
            [NameLabel] = resource.Name,
            [PartOfLabel] = options.Name,
        };
        var documents = new List<IKubernetesObject>();
        var served = _ports.Served(resource);
        var primaryPort = served.Count > 0 ? _ports.PortOf(resource, served[0]) : (int?)null;

        var container = new V1Container
        {
            Name = resource.Name,
            Image = Image(resource),
            Ports = served.Select(e => new V1ContainerPort { ContainerPort = _ports.PortOf(resource, e), Name = e.Name, Protocol = "TCP" }).ToList(),
            Resources = Resources(resource),
            StartupProbe = Probe(resource, ProbeType.Startup, primaryPort),
            LivenessProbe = Probe(resource, ProbeType.Liveness, primaryPort),
            ReadinessProbe = Probe(resource, ProbeType.Readiness, primaryPort),
            VolumeMounts = [],
        };
        await SetEnvironmentAndArgumentsAsync(resource, container, resolver, cancellationToken);

        var initContainers = new List<V1Container>();
        foreach (var init in resource.Annotations.OfType<InitContainerAnnotation>())
        {
            var initContainer = new V1Container { Name = init.Name, Image = container.Image, Resources = Resources(resource), VolumeMounts = [] };
            await SetEnvironmentAndArgumentsAsync(resource, initContainer, resolver, cancellationToken, init);
            initContainers.Add(initContainer);
        }

        var pod = new V1PodSpec
        {
            Containers = [container],
            InitContainers = initContainers.Count > 0 ? initContainers : null,
            Volumes = [],
            // A Service named kafka would otherwise give every pod KAFKA_PORT=tcp://..., which Confluent's
            // images read as broker settings.
            EnableServiceLinks = false,
        };
        documents.AddRange(MountedFiles(resource, container, pod));
        documents.AddRange(DatabaseCreation(resource, container, pod));
        RunUnprivileged(resource, pod);

        foreach (var each in pod.Containers.Concat(pod.InitContainers ?? []))
        {
            each.VolumeMounts = each.VolumeMounts is { Count: > 0 } ? each.VolumeMounts : null;
        }

        pod.Volumes = pod.Volumes.Count > 0 ? pod.Volumes : null;

        var metadata = new V1ObjectMeta { Name = resource.Name, Labels = labels };
        var template = new V1PodTemplateSpec { Metadata = new V1ObjectMeta { Labels = labels }, Spec = pod };
        var selector = new V1LabelSelector { MatchLabels = labels };
        var storage = resource.Annotations.OfType<PersistentStorageAnnotation>().LastOrDefault();
        var replicas = resource.Annotations.OfType<ReplicaAnnotation>().LastOrDefault()?.Replicas ?? 1;
        if (storage is null)
        {
            documents.Add(new V1Deployment
            {
                ApiVersion = "apps/v1",
                Kind = "Deployment",
                Metadata = metadata,
                Spec = new V1DeploymentSpec { Selector = selector, Template = template, Replicas = replicas },
            });
        }
        else
        {
            container.VolumeMounts = [.. container.VolumeMounts ?? [], new V1VolumeMount { Name = DataVolume, MountPath = storage.MountPath }];

            documents.Add(new V1StatefulSet
            {
                ApiVersion = "apps/v1",
                Kind = "StatefulSet",
                Metadata = metadata,
                Spec = new V1StatefulSetSpec
                {
                    Selector = selector,
                    Template = template,
                    Replicas = replicas,
                    ServiceName = resource.Name,
                    VolumeClaimTemplates =
                    [
                        new V1PersistentVolumeClaim
                        {
                            Metadata = new V1ObjectMeta { Name = DataVolume },
                            Spec = new V1PersistentVolumeClaimSpec
                            {
                                AccessModes = ["ReadWriteOnce"],
                                Resources = new V1VolumeResourceRequirements { Requests = new Dictionary<string, ResourceQuantity> { ["storage"] = new(storage.Size) } },
                            },
                        },
                    ],
                },
            });
        }

        if (served.Count > 0)
        {
            documents.Add(new V1Service
            {
                ApiVersion = "v1",
                Kind = "Service",
                Metadata = new V1ObjectMeta { Name = resource.Name, Labels = labels },
                Spec = new V1ServiceSpec
                {
                    Selector = labels,
                    // A StatefulSet's governing Service is headless: its name resolves to the pod itself.
                    ClusterIP = storage is null ? null : "None",
                    Ports = served.Select(e => new V1ServicePort { Name = e.Name, Protocol = "TCP", Port = _ports.PortOf(resource, e), TargetPort = _ports.PortOf(resource, e) }).ToList(),
                },
            });
        }

        return documents;
    }

    /// <summary>
    /// The image's own non-root user and group (<see cref="PodSecurityAnnotation"/>; a project's image runs as
    /// <c>app</c>), no privilege escalation, no capabilities, the runtime's seccomp profile, a read-only root
    /// filesystem with an emptyDir at each path the image writes to, and no service-account token: nothing in the
    /// application talks to the Kubernetes API.
    /// </summary>
    private static void RunUnprivileged(IResource resource, V1PodSpec pod)
    {
        var security = resource is ProjectResource
            ? PodSecurityAnnotation.DotNetApp
            : resource.Annotations.OfType<PodSecurityAnnotation>().LastOrDefault()
              ?? throw new DistributedApplicationException(
                  $"Container '{resource.Name}' declares no user to run as in a deployment: give it WithPodSecurity(user, group, writable paths...) with its image's non-root user.");

        pod.AutomountServiceAccountToken = false;
        pod.SecurityContext = new V1PodSecurityContext
        {
            RunAsNonRoot = true,
            RunAsUser = security.User,
            RunAsGroup = security.Group,
            // Owns the claims and emptyDirs, so the image's user can write to them.
            FsGroup = security.Group,
            SeccompProfile = new V1SeccompProfile { Type = "RuntimeDefault" },
        };
        foreach (var path in security.WritablePaths)
        {
            pod.Volumes.Add(new V1Volume { Name = WritableVolume(path), EmptyDir = new V1EmptyDirVolumeSource { SizeLimit = new ResourceQuantity(WritableVolumeSize) } });
        }

        // The init containers run the same image: the same limits, and the same paths to write to.
        foreach (var each in pod.Containers.Concat(pod.InitContainers ?? []))
        {
            each.SecurityContext = new V1SecurityContext
            {
                AllowPrivilegeEscalation = false,
                ReadOnlyRootFilesystem = true,
                Capabilities = new V1Capabilities { Drop = ["ALL"] },
            };
            foreach (var path in security.WritablePaths)
            {
                each.VolumeMounts.Add(new V1VolumeMount { Name = WritableVolume(path), MountPath = path });
            }
        }
    }

    private static string WritableVolume(string path) => $"writable-{Slug(path)}";

    private string Image(IResource resource)
    {
        if (resource is ProjectResource)
        {
            return $"{options.ImageRegistry}/{options.Name}-{resource.Name}:{options.ImageTag}";
        }

        var image = resource.Annotations.OfType<ContainerImageAnnotation>().LastOrDefault()
            ?? throw new DistributedApplicationException($"Container '{resource.Name}' has no image.");
        var name = image.Registry is null ? image.Image : $"{image.Registry}/{image.Image}";
        return image.SHA256 is not null ? $"{name}@sha256:{image.SHA256}" : $"{name}:{image.Tag ?? "latest"}";
    }

    /// <summary>
    /// The environment and arguments as the model computes them for publishing (an init container's with its own over
    /// them). A parameter that is a whole
    /// value comes straight from the Secret; one inside a longer value (a connection string) comes from a
    /// variable defined first and expanded by Kubernetes as <c>$(VAR)</c>.
    /// </summary>
    private async Task SetEnvironmentAndArgumentsAsync(
        IResource resource, V1Container container, ManifestValueResolver resolver, CancellationToken cancellationToken, InitContainerAnnotation? init = null)
    {
        var environment = new Dictionary<string, object>();
        var environmentContext = new EnvironmentCallbackContext(executionContext, resource, environment, cancellationToken);
        foreach (var callback in resource.Annotations.OfType<EnvironmentCallbackAnnotation>())
        {
            await callback.Callback(environmentContext);
        }

        var arguments = new List<object>();
        var argumentsContext = new CommandLineArgsCallbackContext(arguments, resource, cancellationToken) { ExecutionContext = executionContext };
        foreach (var callback in resource.Annotations.OfType<CommandLineArgsCallbackAnnotation>())
        {
            await callback.Callback(argumentsContext);
        }

        // An init container: the resource's environment with its own values over it, and its own arguments.
        if (init is not null)
        {
            foreach (var (name, value) in init.Environment)
            {
                environment[name] = value;
            }

            arguments = [.. init.Args];
        }

        var referenced = new SortedDictionary<string, ParameterResource>(StringComparer.Ordinal);
        var variables = new List<V1EnvVar>();
        foreach (var (name, value) in environment)
        {
            var resolved = await resolver.ResolveAsync(value, cancellationToken);
            Use(resolved);
            variables.Add(resolved.Whole is { } parameter
                ? new V1EnvVar { Name = name, ValueFrom = SecretValue(parameter) }
                : new V1EnvVar { Name = name, Value = resolved.Text });
        }

        var args = new List<string>();
        foreach (var argument in arguments)
        {
            var resolved = await resolver.ResolveAsync(argument, cancellationToken);
            Use(resolved);
            args.Add(resolved.Text);
        }

        // Variables for parameters inside longer values, defined before the values that expand them.
        var helpers = referenced.Values
            .Select(p => new V1EnvVar { Name = ManifestValueResolver.VariableFor(p), ValueFrom = SecretValue(p) })
            .Where(h => variables.All(v => v.Name != h.Name));
        container.Env = [.. helpers, .. variables];
        container.Args = args.Count > 0 ? args : null;

        void Use(ManifestValue value)
        {
            foreach (var parameter in value.Parameters)
            {
                _parameters.TryAdd(parameter.Name, parameter);
                if (value.Whole is null)
                {
                    referenced.TryAdd(parameter.Name, parameter);
                }
            }
        }
    }

    private V1EnvVarSource SecretValue(ParameterResource parameter) =>
        new() { SecretKeyRef = new V1SecretKeySelector { Name = SecretName, Key = parameter.Name } };

    private static V1ResourceRequirements Resources(IResource resource)
    {
        var compute = resource.Annotations.OfType<ComputeResourcesAnnotation>().LastOrDefault() ?? ComputeResourcesAnnotation.Default;
        return new V1ResourceRequirements
        {
            Requests = new Dictionary<string, ResourceQuantity> { ["cpu"] = new(compute.CpuRequest), ["memory"] = new(compute.MemoryRequest) },
            Limits = new Dictionary<string, ResourceQuantity> { ["cpu"] = new(compute.CpuLimit), ["memory"] = new(compute.MemoryLimit) },
        };
    }

    /// <summary>
    /// The HTTP probe the resource declares, else a TCP check of its first port. Without a declared startup
    /// probe, liveness starts only once the port has opened within five minutes (a database's first start
    /// initialises its data folder before it listens).
    /// </summary>
    private V1Probe? Probe(IResource resource, ProbeType type, int? primaryPort)
    {
        if (resource.Annotations.OfType<EndpointProbeAnnotation>().LastOrDefault(p => p.Type == type) is { } declared)
        {
            var port = _ports.PortOf(resource, _ports.Find(declared.EndpointReference));
            return new V1Probe
            {
                HttpGet = new V1HTTPGetAction { Port = port, Path = declared.Path },
                InitialDelaySeconds = declared.InitialDelaySeconds,
                PeriodSeconds = declared.PeriodSeconds,
                TimeoutSeconds = declared.TimeoutSeconds,
                FailureThreshold = declared.FailureThreshold,
                SuccessThreshold = declared.SuccessThreshold,
            };
        }

        if (primaryPort is not { } tcpPort)
        {
            return null;
        }

        return type switch
        {
            ProbeType.Startup => new V1Probe { TcpSocket = new V1TCPSocketAction { Port = tcpPort }, PeriodSeconds = 5, FailureThreshold = 60 },
            ProbeType.Readiness => new V1Probe { TcpSocket = new V1TCPSocketAction { Port = tcpPort }, PeriodSeconds = 10 },
            _ => new V1Probe { TcpSocket = new V1TCPSocketAction { Port = tcpPort }, PeriodSeconds = 20, FailureThreshold = 3 },
        };
    }

    /// <summary>
    /// A read-only bind mount of a folder becomes one ConfigMap per folder (ConfigMap keys cannot hold a
    /// '/'), all projected into one volume at the mount's target with the folder structure kept. A file of it that the
    /// resource replaces (<see cref="ReplacedFileAnnotation"/>) has the replacement's content.
    /// </summary>
    private static IEnumerable<V1ConfigMap> MountedFiles(IResource resource, V1Container container, V1PodSpec pod)
    {
        var replaced = resource.Annotations.OfType<ReplacedFileAnnotation>().ToDictionary(file => file.Target, file => file.Content, StringComparer.Ordinal);
        foreach (var mount in resource.Annotations.OfType<ContainerMountAnnotation>())
        {
            if (mount.Type != ContainerMountType.BindMount || !mount.IsReadOnly || !Directory.Exists(mount.Source))
            {
                throw new DistributedApplicationException(
                    $"'{resource.Name}' mounts '{mount.Source}' at '{mount.Target}': the Kubernetes manifests carry only read-only folders of files (as ConfigMaps); " +
                    "declare data that must persist with WithPersistentStorage.");
            }

            var volumeName = Slug(Path.GetFileName(mount.Target.TrimEnd('/')));
            var projection = new V1ProjectedVolumeSource { Sources = [] };
            foreach (var folder in new[] { mount.Source }.Concat(Directory.EnumerateDirectories(mount.Source, "*", SearchOption.AllDirectories)).Order(StringComparer.Ordinal))
            {
                var files = Directory.EnumerateFiles(folder).Where(f => !Path.GetFileName(f).StartsWith('.')).Order(StringComparer.Ordinal).ToList();
                if (files.Count == 0)
                {
                    continue;
                }

                var relative = Path.GetRelativePath(mount.Source, folder).Replace(Path.DirectorySeparatorChar, '/');
                var name = relative == "." ? $"{resource.Name}-{volumeName}" : $"{resource.Name}-{volumeName}-{Slug(relative)}";
                var data = new Dictionary<string, string>();
                var items = new List<V1KeyToPath>();
                foreach (var file in files)
                {
                    var key = Path.GetFileName(file);
                    if (!ConfigMapKey().IsMatch(key))
                    {
                        throw new DistributedApplicationException($"'{file}' cannot be a ConfigMap key: a file name may hold only letters, digits, '-', '_' and '.'.");
                    }

                    var path = relative == "." ? key : $"{relative}/{key}";
                    data[key] = replaced.GetValueOrDefault($"{mount.Target.TrimEnd('/')}/{path}") ?? File.ReadAllText(file);
                    items.Add(new V1KeyToPath { Key = key, Path = path });
                }

                projection.Sources.Add(new V1VolumeProjection { ConfigMap = new V1ConfigMapProjection { Name = name, Items = items } });
                yield return new V1ConfigMap
                {
                    ApiVersion = "v1",
                    Kind = "ConfigMap",
                    Metadata = new V1ObjectMeta { Name = name, Labels = new Dictionary<string, string> { [NameLabel] = resource.Name } },
                    Data = data,
                };
            }

            pod.Volumes.Add(new V1Volume { Name = volumeName, Projected = projection });
            container.VolumeMounts.Add(new V1VolumeMount { Name = volumeName, MountPath = mount.Target, ReadOnlyProperty = true });
        }
    }

    /// <summary>
    /// The databases of a PostgreSQL server, created by the image's entrypoint on the first start (Aspire creates
    /// them from the AppHost in run mode). The script is added beside the image's own, which stay in place.
    /// A database's own creation script (WithCreationScript) is not public in Aspire 13.6, so none is used.
    /// </summary>
    private IEnumerable<V1ConfigMap> DatabaseCreation(IResource resource, V1Container container, V1PodSpec pod)
    {
        if (resource is not PostgresServerResource server || server.Databases.Count == 0)
        {
            yield break;
        }

        const string key = "create-databases.sql";
        var scripts = server.Databases.Values.Select(database => $"CREATE DATABASE \"{database.Replace("\"", "\"\"", StringComparison.Ordinal)}\";");
        var name = $"{resource.Name}-init";

        pod.Volumes.Add(new V1Volume { Name = name, ConfigMap = new V1ConfigMapVolumeSource { Name = name } });
        container.VolumeMounts.Add(new V1VolumeMount { Name = name, MountPath = $"/docker-entrypoint-initdb.d/zz-{key}", SubPath = key, ReadOnlyProperty = true });
        yield return new V1ConfigMap
        {
            ApiVersion = "v1",
            Kind = "ConfigMap",
            Metadata = new V1ObjectMeta { Name = name, Labels = new Dictionary<string, string> { [NameLabel] = resource.Name } },
            Data = new Dictionary<string, string> { [key] = string.Join('\n', scripts) + "\n" },
        };
    }

    /// <summary>
    /// Every key the workloads read, without a value: the user fills them in, or creates the Secret with kubectl.
    /// </summary>
    private V1Secret ParametersSecret() => new()
    {
        ApiVersion = "v1",
        Kind = "Secret",
        Metadata = new V1ObjectMeta { Name = SecretName, Labels = new Dictionary<string, string> { [PartOfLabel] = options.Name } },
        Type = "Opaque",
        StringData = _parameters.Keys.ToDictionary(k => k, _ => ""),
    };

    private string SecretHeader()
    {
        var keys = _parameters.Values.Select(p => $"#   {p.Name}{(p.Description is { } d ? $": {d}" : "")}");
        var command = _parameters.Values.Select(p => $"#     --from-literal={p.Name}=...");
        return $"""
            # The parameters of {options.Name}, without their values. `kubectl apply -f <folder>` leaves this file out
            # (it is in a subfolder): fill in every value in a copy kept out of version control and apply that, or
            # create the Secret directly. The keys:
            {string.Join('\n', keys)}
            # For example:
            #   kubectl create secret generic {SecretName} \
            {string.Join(" \\\n", command)}

            """;
    }

    private static string Slug(string text) => NonDnsCharacters().Replace(text.ToLowerInvariant(), "-").Trim('-');

    [GeneratedRegex("[^a-z0-9]+")]
    private static partial Regex NonDnsCharacters();

    [GeneratedRegex("^[-._a-zA-Z0-9]+$")]
    private static partial Regex ConfigMapKey();
}
