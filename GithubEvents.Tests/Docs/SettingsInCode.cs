using System.Collections;
using System.Globalization;
using System.Reflection;
using Aspire.Hosting;
using GithubEvents.Enrich.Consuming;
using GithubEvents.Ingest.GitHub;
using GithubEvents.ServiceDefaults.Kafka;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace GithubEvents.Tests.Docs;

/// <summary>One setting as the code has it: its key, its default as docs/configuration.md writes it, and the service that reads it.</summary>
internal sealed record CodeSetting(string Key, string Default, string? Service, string Source, bool IsMap);

/// <summary>
/// Every setting of every options class, read from the code: the public classes named <c>*Options</c> or <c>*Settings</c>
/// in the services' assemblies, each under its section (its <c>SectionName</c>), with the defaults each service's own
/// registration gives it (a service may change a class's default, as Enrich does <c>GitHub:UserAgent</c>). A class that
/// no service binds through its options (the AppHost's, the Kafka clients') has the defaults of its parameterless
/// constructor.
/// </summary>
internal static class SettingsInCode
{
    public const string None = "(none)";

    /// <summary>The services in the order the docs name them.</summary>
    public static readonly IReadOnlyList<string> Services = ["Ingest", "Enrich", "AppHost"];

    // The service whose assembly a class is in; ServiceDefaults' classes are read by whichever service binds them.
    private static readonly IReadOnlyList<(Assembly Assembly, string? Service)> Assemblies =
    [
        (typeof(GitHubOptions).Assembly, "Ingest"),
        (typeof(EnrichOptions).Assembly, "Enrich"),
        (typeof(KubernetesPublishingOptions).Assembly, "AppHost"),
        (typeof(TopicOptions).Assembly, null),
    ];

    // Classes bound to sections they do not name themselves.
    private static readonly Dictionary<Type, string[]> SectionsNamedElsewhere = new()
    {
        [typeof(KafkaClientSettings)] = [KafkaClientExtensions.ProducerSection, KafkaClientExtensions.ConsumerSection],
    };

    public static IReadOnlyList<Type> Classes() =>
        Assemblies
            .SelectMany(entry => entry.Assembly.GetExportedTypes())
            .Where(type => type is { IsClass: true, IsAbstract: false } && (type.Name.EndsWith("Options", StringComparison.Ordinal) || type.Name.EndsWith("Settings", StringComparison.Ordinal)))
            .ToList();

    /// <summary>The sections a class is bound to: its <c>SectionName</c> constant (its own or inherited), or those listed here.</summary>
    public static IReadOnlyList<string> Sections(Type type) =>
        type.GetField("SectionName", BindingFlags.Public | BindingFlags.Static | BindingFlags.FlattenHierarchy) is { IsLiteral: true } field
            ? [(string)field.GetRawConstantValue()!]
            : SectionsNamedElsewhere.GetValueOrDefault(type) ?? [];

    public static IReadOnlyList<CodeSetting> All()
    {
        var hosts = new List<(string Service, IServiceCollection Registrations, ServiceProvider Provider)>
        {
            ServiceHost("Ingest", builder =>
            {
                builder.AddEventPublishing();
                builder.AddLivePolling();
                builder.AddArchiveBackfill();
            }),
            ServiceHost("Enrich", builder => builder.AddApplicationServices()),
        };

        try
        {
            var settings = new List<CodeSetting>();
            foreach (var type in Classes())
            {
                var bound = hosts
                    .Where(host => host.Registrations.Any(registration => registration.ServiceType == typeof(IOptionsChangeTokenSource<>).MakeGenericType(type)))
                    .Select(host => (Service: (string?)host.Service, Instance: Options(host.Provider, type)))
                    .ToList();
                if (bound.Count == 0)
                {
                    bound.Add((Assemblies.Single(entry => entry.Assembly == type.Assembly).Service, Activator.CreateInstance(type)!));
                }

                foreach (var section in Sections(type))
                {
                    foreach (var (service, instance) in bound)
                    {
                        settings.AddRange(Keys(section, instance).Select(key => new CodeSetting(key.Key, Render(key.Value), service, type.Name, key.IsMap)));
                    }
                }
            }

            return settings;
        }
        finally
        {
            foreach (var host in hosts)
            {
                host.Provider.Dispose();
            }
        }
    }

    /// <summary>A default as the table writes it: a code span in the form configuration takes, or <c>(none)</c>.</summary>
    public static string Render(object? value) => value switch
    {
        null or "" => None,
        string text => Code(text),
        bool flag => Code(flag ? "true" : "false"),
        TimeSpan span => Code(Duration(span)),
        Uri uri => uri.OriginalString.Length == 0 ? None : Code(uri.OriginalString),
        Enum member => Code(member.ToString()),
        IFormattable number => Code(number.ToString(null, CultureInfo.InvariantCulture)),
        IDictionary map => map.Count == 0 ? None : string.Join(", ", map.Keys.Cast<object>().Select(key => $"{key}={map[key]}").Order(StringComparer.Ordinal).Select(Code)),
        IEnumerable items => items.Cast<object>().Any() ? string.Join(", ", items.Cast<object>().Select(item => Render(item))) : None,
        _ => throw new NotSupportedException($"No written form for a default of type {value.GetType()}: add one to {nameof(SettingsInCode)}.{nameof(Render)}."),
    };

    /// <summary><c>[d.]hh:mm:ss[.fraction]</c>: <see cref="TimeSpan"/>'s constant format without the fraction's trailing zeros.</summary>
    public static string Duration(TimeSpan span)
    {
        var text = span.ToString("c", CultureInfo.InvariantCulture);
        return text.Contains('.', StringComparison.Ordinal) && text.LastIndexOf('.') > text.LastIndexOf(':') ? text.TrimEnd('0') : text;
    }

    private static string Code(string text) => $"`{text}`";

    private static (string Service, IServiceCollection Registrations, ServiceProvider Provider) ServiceHost(string service, Action<HostApplicationBuilder> register)
    {
        // An empty configuration (no environment variables), so that what is read is the code's defaults; the connection
        // strings only let the registrations through, nothing connects.
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ConnectionStrings:kafka"] = "127.0.0.1:9",
            ["ConnectionStrings:github-events"] = "Host=127.0.0.1;Port=9;Database=github-events",
        });
        register(builder);
        return (service, builder.Services, builder.Services.BuildServiceProvider());
    }

    private static object Options(IServiceProvider provider, Type type)
    {
        var options = typeof(IOptions<>).MakeGenericType(type);
        return options.GetProperty(nameof(IOptions<object>.Value))!.GetValue(provider.GetRequiredService(options))!;
    }

    // What configuration binds: public settable properties; a nested class is a section of its own, a dictionary's
    // entries are keys below it (written Section:Property:*), a list's are :0, :1, ... (written as the list's key).
    private static IEnumerable<(string Key, object? Value, bool IsMap)> Keys(string prefix, object instance)
    {
        foreach (var property in instance.GetType().GetProperties(BindingFlags.Public | BindingFlags.Instance)
                     .Where(property => property.GetIndexParameters().Length == 0 && property.SetMethod is { IsPublic: true }))
        {
            var key = $"{prefix}:{property.Name}";
            var type = Nullable.GetUnderlyingType(property.PropertyType) ?? property.PropertyType;
            var value = property.GetValue(instance);
            if (typeof(IDictionary).IsAssignableFrom(type))
            {
                yield return ($"{key}:*", value, true);
            }
            else if (IsValue(type) || typeof(IEnumerable).IsAssignableFrom(type))
            {
                yield return (key, value, false);
            }
            else
            {
                foreach (var nested in Keys(key, value ?? Activator.CreateInstance(type)!))
                {
                    yield return nested;
                }
            }
        }
    }

    private static bool IsValue(Type type) =>
        type.IsPrimitive || type.IsEnum || type == typeof(string) || type == typeof(decimal) || type == typeof(TimeSpan) || type == typeof(Uri)
        || type == typeof(DateTime) || type == typeof(DateTimeOffset) || type == typeof(Guid);
}
