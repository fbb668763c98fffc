using Microsoft.Extensions.Configuration;

namespace Aspire.Hosting;

public static class KafkaClientSettingsExtensions
{
    // librdkafka properties whose values are secrets.
    private static readonly string[] SecretKeys =
        ["sasl.password", "sasl.oauthbearer.client.secret", "ssl.key.password", "ssl.keystore.password", "ssl.key.pem"];

    /// <summary>
    /// Passes the librdkafka properties the AppHost's configuration sets under <paramref name="section"/>
    /// (<c>Kafka:Producer:Config</c>, <c>Kafka:Consumer:Config</c>) on to the service: <c>security.protocol</c>, <c>sasl.*</c>,
    /// <c>ssl.*</c>, so that one setting reaches every client of the broker. A secret among them (<c>sasl.password</c>, say)
    /// goes as a secret parameter, <c>kafka-producer-sasl-password</c> and the like, never as a plain value.
    /// </summary>
    public static IResourceBuilder<ProjectResource> WithKafkaClientSettingsFrom(this IResourceBuilder<ProjectResource> builder, string section)
    {
        var application = builder.ApplicationBuilder;
        foreach (var (path, value) in application.Configuration.GetSection(section).AsEnumerable())
        {
            if (value is null)
            {
                continue;
            }

            var variable = path.Replace(":", "__", StringComparison.Ordinal);
            var key = path[(path.LastIndexOf(':') + 1)..];
            if (!SecretKeys.Contains(key, StringComparer.OrdinalIgnoreCase))
            {
                builder.WithEnvironment(variable, value);
                continue;
            }

            var name = $"kafka-{section.Split(':')[1].ToLowerInvariant()}-{key.Replace('.', '-')}";
            var parameter = application.Resources.OfType<ParameterResource>().FirstOrDefault(resource => resource.Name == name) is { } existing
                ? application.CreateResourceBuilder(existing)
                : application.AddParameter(name, () => value, secret: true).WithDescription($"{path}, from the AppHost's configuration.");
            builder.WithEnvironment(variable, parameter);
        }

        return builder;
    }
}
