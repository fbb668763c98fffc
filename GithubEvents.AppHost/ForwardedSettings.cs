using Microsoft.Extensions.Configuration;

namespace Aspire.Hosting;

public static class ForwardedSettings
{
    /// <summary>
    /// Passes a setting, or every setting of a section, from the AppHost's configuration on to a service as environment
    /// variables, so that one value (a topic's name, GitHub's API root) reaches every service that reads it. Nothing is
    /// passed for what the AppHost's configuration does not set. Not for secrets: those are parameters.
    /// </summary>
    public static IResourceBuilder<ProjectResource> WithSettingsFrom(this IResourceBuilder<ProjectResource> builder, string key)
    {
        foreach (var (path, value) in builder.ApplicationBuilder.Configuration.GetSection(key).AsEnumerable())
        {
            if (value is not null)
            {
                builder.WithEnvironment(path.Replace(":", "__", StringComparison.Ordinal), value);
            }
        }

        return builder;
    }
}
