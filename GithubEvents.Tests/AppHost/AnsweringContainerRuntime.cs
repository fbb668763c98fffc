namespace GithubEvents.Tests.AppHost;

/// <summary>
/// A container runtime CLI that answers <c>info</c> and nothing else: enough for the AppHost's placement to decide that
/// containers run, for models that are built and never started.
/// </summary>
public static class AnsweringContainerRuntime
{
    private static readonly Lazy<string> Script = new(() =>
    {
        var path = System.IO.Path.Combine(Directory.CreateTempSubdirectory("answering-runtime-").FullName, "container-runtime");
        File.WriteAllText(path, "#!/bin/sh\n[ \"$1\" = info ] && exit 0\necho \"this test runtime only answers 'info'\" >&2\nexit 1\n");
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }

        return path;
    });

    /// <summary>The argument that makes the AppHost use it.</summary>
    public static string Argument => $"--ASPIRE_CONTAINER_RUNTIME={Script.Value}";
}
