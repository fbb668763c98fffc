using Microsoft.Extensions.Options;
using Npgsql;

namespace GithubEvents.Enrich.Storage;

/// <summary>
/// Keeps the read-only role in step with its configured password at start-up, retrying while the database
/// is not reachable yet (the health endpoint reports the database meanwhile).
/// </summary>
public sealed partial class ReaderRoleSetup(
    NpgsqlDataSource dataSource,
    IOptions<ReaderRoleOptions> options,
    TimeProvider time,
    ILogger<ReaderRoleSetup> logger) : BackgroundService
{
    private static readonly TimeSpan MaxDelay = TimeSpan.FromSeconds(30);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var settings = options.Value;
        if (string.IsNullOrEmpty(settings.ReaderPassword))
        {
            LogNotManaged(settings.ReaderRole);
            return;
        }

        var delay = TimeSpan.FromSeconds(1);
        while (true)
        {
            try
            {
                await ReaderRole.EnsureAsync(dataSource, settings.ReaderRole, settings.ReaderPassword, stoppingToken);
                LogReady(settings.ReaderRole);
                return;
            }
            catch (NpgsqlException ex) when (!stoppingToken.IsCancellationRequested)
            {
                LogRetrying(ex, settings.ReaderRole, delay);
                await Task.Delay(delay, time, stoppingToken);
                delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, MaxDelay.Ticks));
            }
        }
    }

    [LoggerMessage(LogLevel.Information, "No password is configured for the read-only role {Role} (Database:ReaderPassword); it is left as it is")]
    private partial void LogNotManaged(string role);

    [LoggerMessage(LogLevel.Information, "Read-only role {Role} is ready")]
    private partial void LogReady(string role);

    [LoggerMessage(LogLevel.Warning, "Could not set up the read-only role {Role}; retrying in {Delay}")]
    private partial void LogRetrying(Exception exception, string role, TimeSpan delay);
}
