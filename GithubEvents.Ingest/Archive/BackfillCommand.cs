using Microsoft.Extensions.Options;

namespace GithubEvents.Ingest.Archive;

/// <summary>
/// <c>dotnet run --project GithubEvents.Ingest -- backfill ...</c>: a console run (no web host) with the service's
/// configuration, logging, telemetry and Kafka producer. Exit code 0 when every hour was delivered, 1 when some
/// failed (they are listed; a rerun retries them), 2 for a wrong command line or configuration, 130 when stopped.
/// </summary>
public static class BackfillCommand
{
    public const string Verb = "backfill";

    public static async Task<int> RunAsync(string[] args)
    {
        BackfillRequest request;
        string[] configuration;
        try
        {
            (request, configuration) = BackfillRequest.Parse(args);
        }
        catch (BackfillUsageException ex)
        {
            await Console.Error.WriteLineAsync(ex.Message + Environment.NewLine + BackfillRequest.Usage);
            return 2;
        }

        var builder = Host.CreateApplicationBuilder(configuration);
        builder.AddServiceDefaults();
        builder.AddEventPublishing();
        builder.AddArchiveBackfill();
        using var host = builder.Build();
        try
        {
            await host.StartAsync();
            var stopping = host.Services.GetRequiredService<IHostApplicationLifetime>().ApplicationStopping;
            var report = await host.Services.GetRequiredService<ArchiveBackfill>().RunAsync(request, stopping);
            return report.Failures.Count == 0 ? 0 : 1;
        }
        catch (Exception ex) when (ex is BackfillUsageException or OptionsValidationException)
        {
            await Console.Error.WriteLineAsync(ex.Message);
            return 2;
        }
        catch (OperationCanceledException)
        {
            await Console.Error.WriteLineAsync("Backfill stopped. The hours it finished are listed in the progress file; a rerun goes on from there.");
            return 130;
        }
        finally
        {
            await host.StopAsync();
        }
    }
}
