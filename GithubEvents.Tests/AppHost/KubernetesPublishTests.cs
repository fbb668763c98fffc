using System.Text.RegularExpressions;
using System.Xml.Linq;
using k8s;
using k8s.Models;

namespace GithubEvents.Tests.AppHost;

/// <summary>
/// <c>--operation publish --step publish</c> writes Kubernetes manifests of the whole application; every
/// document is read back with KubernetesClient.
/// </summary>
public sealed partial class KubernetesPublishTests(KubernetesPublishTests.Published published) : IClassFixture<KubernetesPublishTests.Published>
{
    private static readonly Dictionary<string, string> SecretValues = new()
    {
        ["github-token"] = "test-github-token-never-written-0123",
        ["geocoding-user-agent"] = "GithubEvents/1.0 (agent-never-written@example.org)",
        ["timescaledb-password"] = "DbPasswordNeverWritten4567",
        ["timescaledb-reader-password"] = "ReaderPasswordNeverWritten89",
        ["timescaledb-writer-password"] = "WriterPasswordNeverWritten10",
        ["grafana-admin-password"] = "GrafanaPasswordNeverWritten11",
        ["archive-s3-access-key-id"] = "ArchiveKeyIdNeverWritten12",
        ["archive-s3-secret-access-key"] = "ArchiveSecretNeverWritten13",
    };

    [Fact]
    public void Every_deployed_resource_is_a_workload_with_a_Service_and_Kafka_UI_is_left_out()
    {
        Assert.Equal(["enrich", "grafana", "ingest"], published.All<V1Deployment>().Select(d => d.Name()).Order());
        Assert.Equal(["kafka", "timescaledb"], published.All<V1StatefulSet>().Select(s => s.Name()).Order());
        // Neither Archive:ClaimSize nor Archive:S3:Bucket: no place for the archive, and Enrich is told so.
        Assert.Equal("false", published.Value("enrich", "Archive__Enabled"));
        Assert.Equal(["enrich", "grafana", "ingest", "kafka", "timescaledb"], published.All<V1Service>().Select(s => s.Name()).Order());
        Assert.DoesNotContain(published.Files, f => f.Text.Contains("kafka-ui", StringComparison.Ordinal));
        Assert.All(published.Files.SelectMany(f => f.Documents), d => Assert.IsAssignableFrom<IKubernetesObject>(d));
    }

    [Fact]
    public void Containers_run_the_models_images_and_projects_their_images_in_the_configured_registry()
    {
        // Apache Kafka's production image, not the development one a run uses.
        Assert.Equal("docker.io/apache/kafka:4.1.1", published.Container("kafka").Image);
        Assert.Equal("docker.io/timescale/timescaledb:2.27.1-pg17", published.Container("timescaledb").Image);
        Assert.Equal("docker.io/grafana/grafana:12.2.1", published.Container("grafana").Image);
        foreach (var project in new[] { "ingest", "enrich" })
        {
            var repository = XDocument.Load(Path.Combine(AppHostProcess.RepositoryRoot(), $"GithubEvents.{char.ToUpperInvariant(project[0])}{project[1..]}", $"GithubEvents.{char.ToUpperInvariant(project[0])}{project[1..]}.csproj"))
                .Descendants("ContainerRepository").Single().Value;
            Assert.Equal($"registry.example.test/team/{repository}:1.2.3", published.Container(project).Image);
            Assert.Equal($"github-events-{project}", repository);
        }
    }

    [Fact]
    public void Connection_strings_name_Services_that_exist_on_the_ports_their_containers_listen_on()
    {
        Assert.Equal("kafka:9092", published.Value("ingest", "ConnectionStrings__kafka"));
        Assert.Equal("kafka:9092", published.Value("enrich", "ConnectionStrings__kafka"));
        Assert.Equal("timescaledb:5432", published.Value("grafana", "GITHUB_EVENTS_DB_HOST"));
        // Enrich writes as the writer; the owner's login is its init container's, which applies the schema.
        Assert.Equal("Host=timescaledb;Port=5432;Username=github_events_writer;Password=$(PARAMETER_TIMESCALEDB_WRITER_PASSWORD);Database=github-events",
            published.Value("enrich", "ConnectionStrings__github-events"));
        Assert.Equal("Host=timescaledb;Port=5432;Username=postgres;Password=$(PARAMETER_TIMESCALEDB_PASSWORD);Database=github-events",
            published.Value("schema-migrations", "ConnectionStrings__github-events"));
        Assert.Equal("PLAINTEXT://localhost:29092,PLAINTEXT_HOST://kafka:9092,PLAINTEXT_INTERNAL://kafka:9093", published.Value("kafka", "KAFKA_ADVERTISED_LISTENERS"));

        var addresses = new[] { ("kafka", 9092), ("kafka", 9093), ("timescaledb", 5432) };
        foreach (var (host, port) in addresses)
        {
            var service = published.All<V1Service>().Single(s => s.Name() == host);
            Assert.Contains(service.Spec.Ports, p => p.Port == port && p.TargetPort.Value == port.ToString());
            Assert.Contains(published.Container(host).Ports, p => p.ContainerPort == port);
        }

        // The database's name is created on the server's first start.
        Assert.Contains("CREATE DATABASE \"github-events\";", published.All<V1ConfigMap>().Single(c => c.Name() == "timescaledb-init").Data["create-databases.sql"]);
        Assert.Contains(published.Container("timescaledb").VolumeMounts, m => m.Name == "timescaledb-init" && m.MountPath.StartsWith("/docker-entrypoint-initdb.d/", StringComparison.Ordinal));
    }

    [Fact]
    public void Enrichs_init_container_applies_the_schema_as_the_owner_and_Enrich_holds_only_the_writers_login()
    {
        var pod = published.Pods()["enrich"].Spec;
        var init = Assert.Single(pod.InitContainers);
        var enrich = Assert.Single(pod.Containers);

        Assert.Equal("schema-migrations", init.Name);
        Assert.Equal(enrich.Image, init.Image);
        Assert.Equal(["migrate"], init.Args);
        Assert.Equal("true", published.Value("schema-migrations", "Database__ApplySchema"));
        Assert.Equal("timescaledb-reader-password", init.Env.Single(e => e.Name == "Database__ReaderPassword").ValueFrom.SecretKeyRef.Key);
        Assert.Equal("timescaledb-writer-password", init.Env.Single(e => e.Name == "Database__WriterPassword").ValueFrom.SecretKeyRef.Key);
        // The rest of Enrich's settings are the init container's too (the storage policies it applies, say).
        Assert.Equal("kafka:9092", published.Value("schema-migrations", "ConnectionStrings__kafka"));

        Assert.Equal("false", published.Value("enrich", "Database__ApplySchema"));
        Assert.All(enrich.Env.Where(e => e.Name.StartsWith("ConnectionStrings__github", StringComparison.Ordinal)), e => Assert.Contains("Username=github_events_writer;", e.Value));
        var secrets = enrich.Env.Where(e => e.ValueFrom?.SecretKeyRef is not null).Select(e => e.ValueFrom.SecretKeyRef.Key).ToList();
        Assert.DoesNotContain("timescaledb-password", secrets);
        Assert.DoesNotContain("timescaledb-reader-password", secrets);
        Assert.DoesNotContain(enrich.Env, e => e.Name is "Database__ReaderPassword" or "Database__WriterPassword");
    }

    [Fact]
    public void A_parameter_inside_a_value_is_a_variable_from_the_Secret_defined_before_it()
    {
        foreach (var container in published.Containers())
        {
            for (var i = 0; i < container.Env.Count; i++)
            {
                foreach (Match reference in VariableReference().Matches(container.Env[i].Value ?? ""))
                {
                    var earlier = container.Env.Take(i).SingleOrDefault(e => e.Name == reference.Groups[1].Value);
                    Assert.True(earlier?.ValueFrom?.SecretKeyRef is not null, $"{container.Name}: {container.Env[i].Name} expands {reference.Value}, which is not a Secret variable defined before it.");
                }
            }
        }

        var password = published.Container("schema-migrations").Env.Single(e => e.Name == "PARAMETER_TIMESCALEDB_PASSWORD");
        Assert.Equal("timescaledb-password", password.ValueFrom.SecretKeyRef.Key);
    }

    [Fact]
    public void Every_secret_reference_names_a_key_of_the_parameters_Secret_and_no_secret_value_is_written()
    {
        var secret = Assert.Single(published.All<V1Secret>());
        Assert.Equal("github-events-parameters", secret.Name());
        Assert.Equal(SecretValues.Keys.Order(), secret.StringData.Keys.Order());
        Assert.All(secret.StringData.Values, Assert.Empty);
        // `kubectl apply -f <folder>` applies the top folder only: the template is not applied over a real Secret.
        Assert.Equal(Path.Combine("secrets", "github-events-parameters.yaml"), published.Files.Single(f => f.Documents.Contains(secret)).Path);

        var references = published.Containers().SelectMany(c => c.Env).Where(e => e.ValueFrom?.SecretKeyRef is not null).Select(e => e.ValueFrom.SecretKeyRef).ToList();
        Assert.All(references, r => Assert.True(r.Name == secret.Name() && secret.StringData.ContainsKey(r.Key), $"secretKeyRef {r.Name}/{r.Key} names no Secret key."));
        Assert.Equal(SecretValues.Keys.Order(), references.Select(r => r.Key).Distinct().Order());
        Assert.Equal("github-token", published.Container("ingest").Env.Single(e => e.Name == "GitHub__Token").ValueFrom.SecretKeyRef.Key);
        // Ingest reads the archive's store for a restore, Enrich writes it.
        foreach (var project in new[] { "ingest", "enrich" })
        {
            Assert.Equal("archive-s3-access-key-id", published.Container(project).Env.Single(e => e.Name == "Archive__S3__AccessKeyId").ValueFrom.SecretKeyRef.Key);
            Assert.Equal("archive-s3-secret-access-key", published.Container(project).Env.Single(e => e.Name == "Archive__S3__SecretAccessKey").ValueFrom.SecretKeyRef.Key);
        }

        Assert.Equal("grafana-admin-password", published.Container("grafana").Env.Single(e => e.Name == "GF_SECURITY_ADMIN_PASSWORD").ValueFrom.SecretKeyRef.Key);
        Assert.Equal("timescaledb-password", published.Container("timescaledb").Env.Single(e => e.Name == "POSTGRES_PASSWORD").ValueFrom.SecretKeyRef.Key);

        foreach (var file in published.Files)
        {
            foreach (var (name, value) in SecretValues)
            {
                Assert.False(file.Text.Contains(value, StringComparison.Ordinal), $"{file.Path} holds the value of {name}.");
            }
        }
    }

    [Fact]
    public void Kafka_and_TimescaleDB_keep_their_data_on_claims_behind_headless_Services()
    {
        foreach (var (name, mountPath, dataVariable) in new[] { ("kafka", "/var/lib/kafka/data", "KAFKA_LOG_DIRS"), ("timescaledb", "/var/lib/postgresql/data", "PGDATA") })
        {
            var set = published.All<V1StatefulSet>().Single(s => s.Name() == name);
            var claim = Assert.Single(set.Spec.VolumeClaimTemplates);
            Assert.Equal(["ReadWriteOnce"], claim.Spec.AccessModes);
            Assert.NotNull(claim.Spec.Resources.Requests["storage"]);
            Assert.Contains(published.Container(name).VolumeMounts, m => m.Name == claim.Name() && m.MountPath == mountPath);
            // The data lives in a folder of the claim, away from a new volume's lost+found.
            Assert.StartsWith(mountPath + "/", published.Value(name, dataVariable));
            Assert.Equal(name, set.Spec.ServiceName);
            Assert.Equal("None", published.All<V1Service>().Single(s => s.Name() == name).Spec.ClusterIP);
        }

        // Six partitions of the raw topic at Kafka:Topics:RetentionBytes (8 GiB), a segment more each, and 30% more.
        Assert.Equal("71Gi", published.All<V1StatefulSet>().Single(s => s.Name() == "kafka").Spec.VolumeClaimTemplates[0].Spec.Resources.Requests["storage"].ToString());

        // The broker runs as appuser, not root.
        Assert.Equal(1000, published.All<V1StatefulSet>().Single(s => s.Name() == "kafka").Spec.Template.Spec.SecurityContext.FsGroup);
    }

    [Fact]
    public void Grafana_gets_every_provisioning_file_from_ConfigMaps_mounted_at_its_provisioning_folder()
    {
        var grafana = published.All<V1Deployment>().Single(d => d.Name() == "grafana").Spec.Template.Spec;
        var mount = Assert.Single(grafana.Containers[0].VolumeMounts, m => m.MountPath == "/etc/grafana/provisioning");
        Assert.True(mount.ReadOnlyProperty);
        var projection = grafana.Volumes.Single(v => v.Name == mount.Name).Projected;

        var provisioning = Path.Combine(AppHostProcess.RepositoryRoot(), "GithubEvents.AppHost", "Grafana", "provisioning");
        var files = Directory.EnumerateFiles(provisioning, "*", SearchOption.AllDirectories).Where(f => !Path.GetFileName(f).StartsWith('.')).ToList();
        Assert.Contains(files, f => f.EndsWith(Path.Combine("datasources", "timescaledb.yaml"), StringComparison.Ordinal));
        Assert.Contains(files, f => f.EndsWith(Path.Combine("alerting", "github-events-rules.yaml"), StringComparison.Ordinal));
        foreach (var file in files)
        {
            var relative = Path.GetRelativePath(provisioning, file).Replace(Path.DirectorySeparatorChar, '/');
            var (configMap, item) = projection.Sources.SelectMany(s => s.ConfigMap.Items.Select(i => (s.ConfigMap.Name, Item: i))).Single(p => p.Item.Path == relative);
            Assert.Equal(File.ReadAllText(file), published.All<V1ConfigMap>().Single(c => c.Name() == configMap).Data[item.Key]);
        }

        Assert.Equal(files.Count, projection.Sources.Sum(s => s.ConfigMap.Items.Count));
    }

    [Fact]
    public void Every_container_has_probes_requests_and_limits_and_the_projects_are_probed_on_alive_and_health()
    {
        foreach (var container in published.Containers())
        {
            // An init container runs to its end: Kubernetes probes only the others.
            var isInit = published.Pods().Values.Any(pod => pod.Spec.InitContainers?.Contains(container) == true);
            Assert.Equal(isInit, container.LivenessProbe is null);
            Assert.Equal(isInit, container.ReadinessProbe is null);
            foreach (var quantities in new[] { container.Resources.Requests, container.Resources.Limits })
            {
                Assert.Equal(["cpu", "memory"], quantities.Keys.Order());
            }
        }

        foreach (var project in new[] { "ingest", "enrich" })
        {
            var container = published.Container(project);
            var port = Assert.Single(container.Ports).ContainerPort;
            Assert.Equal(port.ToString(), published.Value(project, "HTTP_PORTS"));
            Assert.Equal(("/alive", port.ToString()), (container.LivenessProbe.HttpGet.Path, container.LivenessProbe.HttpGet.Port.Value));
            Assert.Equal(("/health", port.ToString()), (container.ReadinessProbe.HttpGet.Path, container.ReadinessProbe.HttpGet.Port.Value));
            Assert.Contains(published.All<V1Service>().Single(s => s.Name() == project).Spec.Ports, p => p.Port == port);
        }

        Assert.Equal("/api/health", published.Container("grafana").ReadinessProbe.HttpGet.Path);
        Assert.Equal("5432", published.Container("timescaledb").ReadinessProbe.TcpSocket.Port.Value);
    }

    [Fact]
    public void Enrich_runs_the_configured_replicas_and_ingest_one()
    {
        Assert.Equal(3, published.All<V1Deployment>().Single(d => d.Name() == "enrich").Spec.Replicas);
        Assert.Equal(1, published.All<V1Deployment>().Single(d => d.Name() == "ingest").Spec.Replicas);
    }

    [GeneratedRegex(@"(?<!\$)\$\(([^)]+)\)")]
    private static partial Regex VariableReference();

    public sealed record PublishedFile(string Path, string Text, IReadOnlyList<object> Documents);

    /// <summary>The manifests of one publish run with known parameter values and settings.</summary>
    public sealed class Published : IAsyncLifetime
    {
        public string Folder { get; } = Directory.CreateTempSubdirectory("github-events-k8s-").FullName;

        public IReadOnlyList<PublishedFile> Files { get; private set; } = [];

        public async ValueTask InitializeAsync()
        {
            var environment = SecretValues.ToDictionary(p => $"Parameters__{p.Key}", p => p.Value);
            environment["Kubernetes__ImageRegistry"] = "registry.example.test/team";
            environment["Kubernetes__ImageTag"] = "1.2.3";
            environment["Enrich__Replicas"] = "3";

            var (exitCode, log) = await AppHostProcess.RunAsync(environment, "--operation", "publish", "--step", "publish", "--output-path", Folder);

            Assert.True(exitCode == 0, log);
            Files = Directory.EnumerateFiles(Folder, "*.yaml", SearchOption.AllDirectories)
                .Select(path =>
                {
                    var text = File.ReadAllText(path);
                    return new PublishedFile(Path.GetRelativePath(Folder, path), text, KubernetesYaml.LoadAllFromString(text));
                })
                .ToList();
        }

        public IEnumerable<T> All<T>() => Files.SelectMany(f => f.Documents).OfType<T>();

        /// <summary>Every container, init containers included.</summary>
        public IEnumerable<V1Container> Containers() =>
            All<V1Deployment>().Select(d => d.Spec.Template.Spec).Concat(All<V1StatefulSet>().Select(s => s.Spec.Template.Spec))
                .SelectMany(p => p.Containers.Concat(p.InitContainers ?? []));

        public V1Container Container(string name) => Containers().Single(c => c.Name == name);

        /// <summary>Every pod template, by its workload's name.</summary>
        public IReadOnlyDictionary<string, V1PodTemplateSpec> Pods() =>
            All<V1Deployment>().Select(d => (d.Name(), d.Spec.Template)).Concat(All<V1StatefulSet>().Select(s => (s.Name(), s.Spec.Template)))
                .ToDictionary(p => p.Item1, p => p.Item2);

        public string Value(string container, string variable) => Container(container).Env.Single(e => e.Name == variable).Value;

        public ValueTask DisposeAsync()
        {
            Directory.Delete(Folder, recursive: true);
            return ValueTask.CompletedTask;
        }
    }
}
