using System.Diagnostics;

namespace GithubEvents.Tests.Kafka;

/// <summary>kcat, a Kafka client outside this process and outside .NET (Debian package kcat).</summary>
internal static class Kcat
{
    public static async Task<string> RunAsync(params string[] arguments)
    {
        var startInfo = new ProcessStartInfo("kcat", arguments) { RedirectStandardOutput = true, RedirectStandardError = true };
        Process process;
        try
        {
            process = Process.Start(startInfo)!;
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            throw new InvalidOperationException("kcat is not installed: apt-get install kcat (.ci/run does this).", ex);
        }

        using (process)
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            var output = process.StandardOutput.ReadToEndAsync(timeout.Token);
            var error = process.StandardError.ReadToEndAsync(timeout.Token);
            await process.WaitForExitAsync(timeout.Token);
            Assert.True(process.ExitCode == 0, $"kcat exited with {process.ExitCode}: {await error}");
            return await output;
        }
    }
}
