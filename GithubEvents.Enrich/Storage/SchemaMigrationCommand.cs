using Microsoft.Extensions.Options;

namespace GithubEvents.Enrich.Storage;

/// <summary>
/// <c>GithubEvents.Enrich migrate</c>: applies the schema and sets the roles up as Enrich's start does (retrying while
/// the database is unreachable), then exits, 0 once done and 1 when the setup failed, its message logged. For the login
/// that owns the schema and does nothing else, a deployment's init container, so that Enrich itself runs as the writer
/// (<c>Database:ApplySchema=false</c>).
/// </summary>
public static class SchemaMigrationCommand
{
    public const string Name = "migrate";

    public static async Task<int> RunAsync(string[] args)
    {
        var builder = Host.CreateApplicationBuilder(args);
        builder.AddDatabaseSetup();
        builder.Services.AddSingleton<DatabaseSetup>();
        using var host = builder.Build();
        Task? setupRun = null;
        try
        {
            await host.StartAsync();
            var setup = host.Services.GetRequiredService<DatabaseSetup>();
            var stopping = host.Services.GetRequiredService<IHostApplicationLifetime>().ApplicationStopping;
            await setup.StartAsync(stopping);
            setupRun = setup.ExecuteTask!;
            await setupRun;
            return host.Services.GetRequiredService<StorageReadiness>().IsReady ? 0 : 1;
        }
        catch (OptionsValidationException ex)
        {
            await Console.Error.WriteLineAsync(ex.Message);
            return 1;
        }
        catch (Exception ex)
        {
            // DatabaseSetup logs its own failures; one before it ran (a connection string that is no connection string) is said here.
            if (setupRun is null)
            {
                await Console.Error.WriteLineAsync($"migrate: {ex.Message}");
            }

            return 1;
        }
        finally
        {
            await host.StopAsync();
        }
    }
}
