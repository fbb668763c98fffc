using System.Text;
using Microsoft.Extensions.DependencyInjection;

namespace Aspire.Hosting;

/// <summary>
/// A provisioning file that a run writes for Grafana in place of the committed one of the same path (which is what a
/// deployment keeps): for the container, mounted read-only over the committed file (which holds the mount point inside
/// the read-only provisioning folder); for Grafana on this machine, written into this start's copy of the folder.
/// </summary>
internal static class ProvisioningFileOverride
{
    /// <summary>
    /// The file in place of the committed one everywhere: applied at every start of a run, and carried by the Kubernetes
    /// manifests' provisioning ConfigMap.
    /// </summary>
    public static void Replace<T>(IResourceBuilder<T> builder, string relativePath, string storeName, string content)
        where T : IGrafanaResource
    {
        var app = builder.ApplicationBuilder;
        if (app.ExecutionContext.IsRunMode)
        {
            app.Eventing.Subscribe<BeforeResourceStartedEvent>(builder.Resource, (@event, _) =>
            {
                Apply(builder, @event.Services, relativePath, storeName, content);
                return Task.CompletedTask;
            });
        }
        else
        {
            builder.WithAnnotation(new ReplacedFileAnnotation($"{ProvisioningCopy.ContainerPath}/{relativePath}", content));
        }
    }

    public static void Apply<T>(IResourceBuilder<T> builder, IServiceProvider services, string relativePath, string storeName, string content)
        where T : IGrafanaResource
    {
        switch (builder.Resource)
        {
            case LocalGrafanaResource local:
                File.WriteAllText(Path.Combine(local.ProvisioningDirectory, relativePath), content);
                break;
            case GrafanaResource container:
                Mount(builder.ApplicationBuilder.CreateResourceBuilder(container), services, relativePath, storeName, content);
                break;
            default:
                throw new NotSupportedException($"{builder.Resource.GetType().Name} takes no provisioning files.");
        }
    }

    private static void Mount(IResourceBuilder<GrafanaResource> builder, IServiceProvider services, string relativePath, string storeName, string content)
    {
        var target = $"{ProvisioningCopy.ContainerPath}/{relativePath}";
        using var stream = new MemoryStream(Encoding.UTF8.GetBytes(content));
        var path = services.GetRequiredService<IAspireStore>().GetFileNameWithContent($"{builder.Resource.Name}-{storeName}", stream);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
        }

        // A restart from the dashboard writes it again.
        foreach (var earlier in builder.Resource.Annotations.OfType<ContainerMountAnnotation>().Where(m => m.Target == target).ToList())
        {
            builder.Resource.Annotations.Remove(earlier);
        }

        builder.WithBindMount(path, target, isReadOnly: true);
    }
}
