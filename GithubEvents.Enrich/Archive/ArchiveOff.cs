using GithubEvents.Enrich.Storage;

namespace GithubEvents.Enrich.Archive;

/// <summary>
/// With <c>Archive:Enabled</c> false: once the schema is ready, tells retention that the archive keeps nothing
/// (<c>archive_state</c>), so that the events an archive left unexported are not kept for ever.
/// </summary>
public sealed class ArchiveOff(StorageReadiness readiness, ArchiveStore store) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await readiness.WaitAsync(stoppingToken);
            await store.KeepFromAsync(null, 0, null, stoppingToken);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }
}
