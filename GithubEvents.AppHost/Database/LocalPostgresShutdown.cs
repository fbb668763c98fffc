using System.Diagnostics;
using Microsoft.Extensions.Hosting;

namespace Aspire.Hosting;

/// <summary>
/// Stops the local server cleanly when the AppHost stops (<c>pg_ctl stop -m fast</c>): on the SIGTERM a process gets,
/// PostgreSQL waits for every client to leave, and would be killed before the next start finds a clean cluster.
/// </summary>
internal sealed class LocalPostgresShutdown(PostgresBinaries binaries, string dataDirectory) : IHostedService
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (!File.Exists(Path.Combine(dataDirectory, "postmaster.pid")))
        {
            return;
        }

        var (command, arguments) = LocalAccount.AsServerAccount(binaries.PgCtl, "-D", dataDirectory, "-m", "fast", "-w", "-t", ((int)Timeout.TotalSeconds).ToString(System.Globalization.CultureInfo.InvariantCulture), "stop");
        using var process = Process.Start(new ProcessStartInfo(command, arguments) { RedirectStandardOutput = true, RedirectStandardError = true });
        if (process is not null)
        {
            await process.WaitForExitAsync(cancellationToken);
        }
    }
}
