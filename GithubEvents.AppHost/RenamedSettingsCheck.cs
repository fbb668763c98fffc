using GithubEvents.ServiceDefaults;

namespace Aspire.Hosting;

public static class RenamedSettingsCheck
{
    /// <summary>Stops start-up when the AppHost's configuration sets a key that moved, naming the new one.</summary>
    public static IDistributedApplicationBuilder RejectRenamedSettings(this IDistributedApplicationBuilder builder)
    {
        var problems = RenamedSettings.Problems(builder.Configuration);
        if (problems.Count > 0)
        {
            throw new DistributedApplicationException(string.Join(" ", problems));
        }

        return builder;
    }
}
