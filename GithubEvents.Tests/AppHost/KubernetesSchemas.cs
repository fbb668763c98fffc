using System.Diagnostics;

namespace GithubEvents.Tests.AppHost;

/// <summary>
/// Kubernetes' OpenAPI schemas, as the npm package kubernetes-models compiles them, checked by
/// <c>.ci/kubernetes-schemas/validate.mjs</c> with Node.js: a check independent of the KubernetesClient models the
/// manifests are written with. <c>.ci/run</c> installs the package; by hand, <c>npm ci --prefix .ci/kubernetes-schemas</c>.
/// </summary>
internal static class KubernetesSchemas
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(2);

    /// <summary>Checks every document of the YAML files under <paramref name="folder"/>; exit code 0 when all are valid.</summary>
    public static async Task<(int ExitCode, string Output)> ValidateAsync(string folder)
    {
        var checker = Path.Combine(AppHostProcess.RepositoryRoot(), ".ci", "kubernetes-schemas");
        Assert.True(
            Directory.Exists(Path.Combine(checker, "node_modules", "kubernetes-models")),
            $"The schemas are not installed: run 'npm ci --prefix {checker}' (Node.js and npm), as .ci/run does.");

        var startInfo = new ProcessStartInfo("node", [Path.Combine(checker, "validate.mjs"), folder])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var process = Process.Start(startInfo)!;
        using var timeout = new CancellationTokenSource(Timeout);
        var output = process.StandardOutput.ReadToEndAsync(timeout.Token);
        var error = process.StandardError.ReadToEndAsync(timeout.Token);
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await output + await error);
    }
}
