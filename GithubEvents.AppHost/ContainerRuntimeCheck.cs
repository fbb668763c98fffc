using System.Diagnostics;
using Microsoft.Extensions.Configuration;

namespace Aspire.Hosting;

/// <summary>
/// Fails start-up with a message naming the ways out when <c>AppHost:Mode=Containers</c> placed containers but no
/// container runtime answers, instead of leaving every container resource stuck in "Starting". Where the plan chose
/// containers itself, the runtime has answered already.
/// </summary>
public static class ContainerRuntimeCheck
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(20);

    public static IDistributedApplicationBuilder RequireContainerRuntimeForContainers(this IDistributedApplicationBuilder builder, PlacementPlan plan)
    {
        if (!plan.ContainersForced)
        {
            return builder;
        }

        builder.Eventing.Subscribe<BeforeStartEvent>(async (@event, ct) =>
        {
            if (!builder.ExecutionContext.IsRunMode || !@event.Model.Resources.OfType<ContainerResource>().Any())
            {
                return;
            }

            if (await AnswersAsync(builder.Configuration, ct))
            {
                return;
            }

            var runtime = Runtime(builder.Configuration);
            var start = $"No container runtime answered ('{runtime} info' failed), but AppHost:Mode is Containers. Either start Docker or Podman " +
                "(set ASPIRE_CONTAINER_RUNTIME=podman for Podman), ";
            throw new DistributedApplicationException(plan.AllExisting
                ? start + "or remove AppHost:Mode: both pieces are on existing servers, and only Grafana needs a container (it is then left out)."
                : start + "or run the pieces on this machine (remove AppHost:Mode, or set it to Local), " +
                    "or point the AppHost at existing servers by setting both ConnectionStrings:kafka (bootstrap servers, e.g. localhost:9092) " +
                    "and ConnectionStrings:github-events (an Npgsql connection string), for example with " +
                    "'dotnet user-secrets set ConnectionStrings:kafka localhost:9092 --project GithubEvents.AppHost'.");
        });

        return builder;
    }

    /// <summary>The container runtime Aspire uses: <c>ASPIRE_CONTAINER_RUNTIME</c>, by default docker.</summary>
    public static string Runtime(IConfiguration configuration) =>
        configuration["ASPIRE_CONTAINER_RUNTIME"] ?? configuration["DOTNET_ASPIRE_CONTAINER_RUNTIME"] ?? "docker";

    /// <summary>Whether the container runtime answers <c>info</c> within 20 s.</summary>
    public static async Task<bool> AnswersAsync(IConfiguration configuration, CancellationToken cancellationToken)
    {
        var runtime = Runtime(configuration);
        var startInfo = new ProcessStartInfo(runtime, ["info"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(Timeout);
        try
        {
            using var process = Process.Start(startInfo);
            if (process is null)
            {
                return false;
            }

            try
            {
                // Drained so that a chatty runtime never blocks on a full pipe.
                await Task.WhenAll(
                    process.StandardOutput.ReadToEndAsync(timeout.Token),
                    process.StandardError.ReadToEndAsync(timeout.Token),
                    process.WaitForExitAsync(timeout.Token));
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
                return false;
            }

            return process.ExitCode == 0;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            // The runtime's CLI is not installed at all.
            return false;
        }
    }
}
