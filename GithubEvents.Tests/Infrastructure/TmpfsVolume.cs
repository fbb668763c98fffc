using System.Diagnostics;

namespace GithubEvents.Tests.Infrastructure;

/// <summary>
/// A small tmpfs mounted on a directory of its own and owned by <c>postgres</c>, for a tablespace that fills up;
/// unmounted on dispose. Mounting needs root, as the tests run in CI and in the sessions.
/// </summary>
public sealed class TmpfsVolume : IAsyncDisposable
{
    private TmpfsVolume(string path) => Path = path;

    public string Path { get; }

    public static async Task<TmpfsVolume> MountAsync(int megabytes)
    {
        var path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"github-events-tmpfs-{Guid.NewGuid():N}");
        Directory.CreateDirectory(path);
        try
        {
            await RunAsync("mount", ["-t", "tmpfs", "-o", $"size={megabytes}m,mode=0700", "tmpfs", path],
                "This test needs to mount a tmpfs: run it as root (CI and the sessions do), in a container with CAP_SYS_ADMIN.");
        }
        catch
        {
            Directory.Delete(path);
            throw;
        }

        var volume = new TmpfsVolume(path);
        await RunAsync("chown", ["postgres:postgres", path], "The tmpfs must belong to the postgres user, which the test server runs as.");
        return volume;
    }

    public async ValueTask DisposeAsync()
    {
        await RunAsync("umount", [Path], $"Could not unmount the test's tmpfs at {Path}.");
        Directory.Delete(Path);
    }

    private static async Task RunAsync(string fileName, IReadOnlyList<string> arguments, string prerequisite)
    {
        var startInfo = new ProcessStartInfo(fileName, arguments) { RedirectStandardError = true };
        using var process = Process.Start(startInfo)!;
        var error = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.True(process.ExitCode == 0, $"{prerequisite} '{fileName} {string.Join(' ', arguments)}' exited with {process.ExitCode}: {error}");
    }
}
