using System.Text;
using Microsoft.Extensions.DependencyInjection;

namespace Aspire.Hosting;

/// <summary>
/// A provisioning file that a run writes for Grafana, mounted read-only over the committed one of the same path (which
/// holds the mount point inside the read-only provisioning folder, and is what a deployment keeps).
/// </summary>
internal static class ProvisioningFileOverride
{
    public static void Mount(IResourceBuilder<GrafanaResource> builder, IServiceProvider services, string relativePath, string storeName, string content)
    {
        var target = $"/etc/grafana/provisioning/{relativePath}";
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
