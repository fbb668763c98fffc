using System.ComponentModel.DataAnnotations;
using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Configuration;

namespace Aspire.Hosting;

/// <summary>
/// The alert rules' thresholds that are the AppHost's settings (<see cref="GrafanaAlertOptions"/>). Grafana reads a rule's
/// queries and expressions raw, without putting environment variables into them, so a value is written into the rules'
/// file: a run mounts the written file over the committed one, and the Kubernetes manifests carry it in their ConfigMap.
/// A value the committed file holds already leaves it as it is.
/// </summary>
public static partial class AlertRuleThresholds
{
    /// <summary>The rules' file in the provisioning folder.</summary>
    public const string RelativePath = "alerting/github-events-rules.yaml";

    public const string MinLiveShareSetting = "Grafana:Alerts:MinLiveShare";

    public static IResourceBuilder<T> WithAlertRuleThresholds<T>(this IResourceBuilder<T> builder, string provisioningPath)
        where T : IGrafanaResource
    {
        var app = builder.ApplicationBuilder;
        var minLiveShare = Bind(app.Configuration).MinLiveShare;
        var committed = File.ReadAllText(Path.Combine(provisioningPath, RelativePath));
        if (minLiveShare == MinLiveShare(committed))
        {
            return builder;
        }

        ProvisioningFileOverride.Replace(builder, RelativePath, "alert-rules.yaml", Render(committed, minLiveShare));
        return builder;
    }

    /// <summary>The settings, validated: a start-up problem names the setting.</summary>
    public static GrafanaAlertOptions Bind(IConfiguration configuration)
    {
        GrafanaAlertOptions options;
        try
        {
            options = configuration.GetSection(GrafanaAlertOptions.SectionName).Get<GrafanaAlertOptions>() ?? new GrafanaAlertOptions();
        }
        catch (InvalidOperationException)
        {
            throw new DistributedApplicationException($"{MinLiveShareSetting} must be a number between 0 and 1, not '{configuration[MinLiveShareSetting]}'.");
        }

        var problems = new List<ValidationResult>();
        return Validator.TryValidateObject(options, new ValidationContext(options), problems, validateAllProperties: true)
            ? options
            : throw new DistributedApplicationException(string.Join(" ", problems.Select(problem => problem.ErrorMessage)));
    }

    /// <summary>The rules' file with <paramref name="minLiveShare"/> on the threshold line marked with the setting's name.</summary>
    public static string Render(string committed, double minLiveShare)
    {
        MinLiveShare(committed);
        var text = MarkedThreshold().Replace(committed, match => match.Groups["before"].Value + minLiveShare.ToString(CultureInfo.InvariantCulture) + match.Groups["after"].Value);
        return $"# Written by the AppHost from {RelativePath}: {MinLiveShareSetting} is {minLiveShare.ToString(CultureInfo.InvariantCulture)}.\n{text}";
    }

    /// <summary>The threshold on the one line marked with the setting's name.</summary>
    public static double MinLiveShare(string rules)
    {
        var marked = MarkedThreshold().Matches(rules);
        return marked.Count == 1
            ? double.Parse(marked[0].Groups["value"].Value, CultureInfo.InvariantCulture)
            : throw new InvalidOperationException($"{RelativePath} must mark one threshold with '# {MinLiveShareSetting}', not {marked.Count}.");
    }

    [GeneratedRegex(@"^(?<before>[ \t]*- )(?<value>[0-9.eE+-]+)(?<after> # Grafana:Alerts:MinLiveShare)", RegexOptions.Multiline)]
    private static partial Regex MarkedThreshold();
}
