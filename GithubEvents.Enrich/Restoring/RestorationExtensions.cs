using GithubEvents.Enrich.Profiles;
using GithubEvents.Enrich.Restoring;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.Hosting;

public static class RestorationExtensions
{
    /// <summary>
    /// The restorations of the watched repositories' trimmed payloads, in a background service beside the profile
    /// lookups, whose GitHub settings and client it uses (<c>AddProfiles</c> first); nothing with
    /// <c>Profiles:Enabled=false</c> or <c>Restoration:Enabled=false</c>.
    /// </summary>
    public static IHostApplicationBuilder AddRestoration(this IHostApplicationBuilder builder)
    {
        var configuration = builder.Configuration;
        if (!configuration.GetValue(ProfileOptions.SectionName + ":" + nameof(ProfileOptions.Enabled), true)
            || !configuration.GetValue(RestorationOptions.SectionName + ":" + nameof(RestorationOptions.Enabled), true))
        {
            return builder;
        }

        var services = builder.Services;
        services.AddOptions<RestorationOptions>()
            .BindConfiguration(RestorationOptions.SectionName)
            .ValidateDataAnnotations()
            .Validate<IOptions<ProfileOptions>>((restoration, profiles) => restoration.GraphQLBudgetShare + profiles.Value.GraphQLBudgetShare <= 1,
                "Restoration:GraphQLBudgetShare and Profiles:GraphQLBudgetShare share the token's GraphQL budget: together they must not exceed 1.")
            .ValidateOnStart();
        services.AddSingleton(provider => new RestorationBudget(provider.GetRequiredService<IOptions<RestorationOptions>>().Value, provider.GetRequiredService<TimeProvider>()));
        services.AddSingleton<RestorationClient>();
        services.AddSingleton<RestorationStore>();
        services.AddSingleton<RestorationMetrics>();
        services.AddHostedService<PayloadRestorer>();
        return builder;
    }
}
