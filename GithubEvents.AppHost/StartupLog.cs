using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Aspire.Hosting;

/// <summary>The AppHost's own lines in its start-up log, written once the application starts.</summary>
internal static class StartupLog
{
    public static void Write(IDistributedApplicationBuilder builder, Action<ILogger> log) =>
        builder.Eventing.Subscribe<BeforeStartEvent>((@event, _) =>
        {
            log(Logger(@event.Services));
            return Task.CompletedTask;
        });

    public static ILogger Logger(IServiceProvider services) => services.GetRequiredService<ILoggerFactory>().CreateLogger("GithubEvents.AppHost");
}
