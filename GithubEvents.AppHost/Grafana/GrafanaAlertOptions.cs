using System.ComponentModel.DataAnnotations;

namespace Aspire.Hosting;

/// <summary>
/// The alert rules' thresholds that are settings, bound from <c>Grafana:Alerts</c> (whose contact points
/// <see cref="AlertContactPoints"/> reads) and written into the rules' file by <see cref="AlertRuleThresholds"/>.
/// </summary>
public sealed class GrafanaAlertOptions
{
    public const string SectionName = "Grafana:Alerts";

    /// <summary>The live share of the last complete hour below which the rule <c>ge-live-share-low</c> fires.</summary>
    [Range(0.0, 1.0, ErrorMessage = "Grafana:Alerts:MinLiveShare must be a share between 0 and 1.")]
    public double MinLiveShare { get; set; } = 0.15;
}
