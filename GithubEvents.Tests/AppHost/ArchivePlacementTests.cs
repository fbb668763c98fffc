using Aspire.Hosting.Testing;
using k8s;
using k8s.Models;
using static GithubEvents.Tests.AppHost.ModelInspection;

namespace GithubEvents.Tests.AppHost;

/// <summary>Where the AppHost puts Enrich's archive: beside the local database in a run, on a claim or nowhere in a deployment.</summary>
public sealed class ArchivePlacementTests : IDisposable
{
    private readonly string _output = Directory.CreateTempSubdirectory("github-events-k8s-").FullName;

    [Fact]
    public async Task A_run_archives_beside_the_local_database_s_folder_unless_Archive_Path_says_otherwise()
    {
        var data = Path.Combine(Path.GetTempPath(), "github-events-archive-placement", "postgres");
        string[] local = ["--AppHost:Mode=Local", $"--Local:DataDirectory={data}", StandInGrafana.NoneOnPath];

        await using (var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.GithubEvents_AppHost>(local, TestContext.Current.CancellationToken))
        {
            var env = await PublishedEnvironment(Resource(builder, "enrich"));
            Assert.Equal(Path.Combine(Path.GetDirectoryName(data)!, "archive"), env["Archive__Path"]);
            Assert.DoesNotContain("Archive__Enabled", env.Keys);
        }

        var elsewhere = Path.Combine(Path.GetTempPath(), "github-events-archive-elsewhere");
        await using (var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.GithubEvents_AppHost>([.. local, $"--Archive:Path={elsewhere}"], TestContext.Current.CancellationToken))
        {
            Assert.Equal(elsewhere, (await PublishedEnvironment(Resource(builder, "enrich")))["Archive__Path"]);
        }

        await using (var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.GithubEvents_AppHost>([.. local, "--Archive:Enabled=false"], TestContext.Current.CancellationToken))
        {
            var env = await PublishedEnvironment(Resource(builder, "enrich"));
            Assert.Equal("false", env["Archive__Enabled"]);
            Assert.DoesNotContain("Archive__Path", env.Keys);
        }
    }

    [Fact]
    public async Task A_deployment_with_a_claim_size_keeps_the_archive_on_its_own_claim()
    {
        var (exitCode, log) = await AppHostProcess.RunAsync(
            new Dictionary<string, string> { ["Archive__ClaimSize"] = "200Gi" },
            "--operation", "publish", "--step", "publish", "--output-path", _output);

        Assert.True(exitCode == 0, log);
        var documents = Directory.EnumerateFiles(_output, "*.yaml", SearchOption.AllDirectories).SelectMany(f => KubernetesYaml.LoadAllFromString(File.ReadAllText(f))).ToList();
        var enrich = documents.OfType<V1StatefulSet>().Single(s => s.Name() == "enrich");
        var claim = Assert.Single(enrich.Spec.VolumeClaimTemplates);
        Assert.Equal("200Gi", claim.Spec.Resources.Requests["storage"].ToString());
        var container = enrich.Spec.Template.Spec.Containers[0];
        Assert.Contains(container.VolumeMounts, m => m.Name == claim.Name() && m.MountPath == "/var/lib/github-events/archive");
        Assert.Equal("/var/lib/github-events/archive", container.Env.Single(e => e.Name == "Archive__Path").Value);
        Assert.DoesNotContain(container.Env, e => e.Name == "Archive__Enabled");
    }

    [Fact]
    public async Task A_claim_for_more_than_one_replica_stops_publishing_naming_object_storage()
    {
        var (exitCode, log) = await AppHostProcess.RunAsync(
            new Dictionary<string, string> { ["Archive__ClaimSize"] = "200Gi", ["Enrich__Replicas"] = "2" },
            "--operation", "publish", "--step", "publish", "--output-path", _output);

        Assert.NotEqual(0, exitCode);
        Assert.Contains("Archive:ClaimSize gives the archive one volume, which 2 Enrich replicas cannot share: set Archive:S3:Bucket", log);
        Assert.Empty(Directory.EnumerateFiles(_output, "*", SearchOption.AllDirectories));
    }

    public void Dispose() => Directory.Delete(_output, recursive: true);
}
