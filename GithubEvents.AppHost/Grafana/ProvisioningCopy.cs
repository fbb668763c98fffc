namespace Aspire.Hosting;

/// <summary>
/// The committed provisioning folder as a Grafana on this machine reads it: copied afresh at every start (a file deleted
/// from the repository leaves nothing behind), with the paths into <see cref="ContainerPath"/>, where the container has the
/// folder, pointing into the copy instead.
/// </summary>
internal static class ProvisioningCopy
{
    public const string ContainerPath = "/etc/grafana/provisioning";

    public static void Write(string committed, string target)
    {
        if (Directory.Exists(target))
        {
            Directory.Delete(target, recursive: true);
        }

        foreach (var file in Directory.EnumerateFiles(committed, "*", SearchOption.AllDirectories))
        {
            var copy = Path.Combine(target, Path.GetRelativePath(committed, file));
            Directory.CreateDirectory(Path.GetDirectoryName(copy)!);
            if (Path.GetExtension(file) is ".yaml" or ".yml")
            {
                File.WriteAllText(copy, File.ReadAllText(file).Replace(ContainerPath, target.Replace('\\', '/'), StringComparison.Ordinal));
            }
            else
            {
                File.Copy(file, copy);
            }
        }
    }
}
