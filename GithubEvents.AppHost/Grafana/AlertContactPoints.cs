using System.Text;

namespace Aspire.Hosting;

/// <summary>
/// The alerts' notifications besides Grafana's default contact point, from the AppHost's settings: a webhook (its URL a
/// secret parameter) and e-mail (addresses, and Grafana's SMTP server with its password a secret parameter). A run
/// puts <see cref="Render"/>'s file over the committed <c>alerting/contact-points.yaml</c>, which provisions none, and the
/// Kubernetes manifests carry it in that file's place; it names the secrets only as environment variables, so no secret
/// sits in a file.
/// </summary>
public static class AlertContactPoints
{
    /// <summary>The contact points' file in the provisioning folder.</summary>
    public const string RelativePath = "alerting/contact-points.yaml";

    public const string EmailSetting = "Grafana:Alerts:Email";
    public const string SmtpHostSetting = "Grafana:Smtp:Host";
    public const string SmtpUserSetting = "Grafana:Smtp:User";
    public const string SmtpFromSetting = "Grafana:Smtp:From";

    /// <summary>The contact point the alerts go to besides Grafana's default one.</summary>
    public const string Name = "GitHub Events";

    /// <summary>
    /// Adds the contact points the settings ask for: with <c>Parameters:{name}-alert-webhook-url</c> a webhook, with
    /// <see cref="EmailSetting"/> e-mail through <see cref="SmtpHostSetting"/> (start-up stops without it). Without
    /// either, Grafana keeps its defaults.
    /// </summary>
    public static IResourceBuilder<T> WithAlertContactPoints<T>(this IResourceBuilder<T> builder)
        where T : IGrafanaResource
    {
        var app = builder.ApplicationBuilder;
        var name = builder.Resource.Name;
        var webhook = Secret(app, $"{name}-alert-webhook-url", "The URL Grafana posts the pipeline's alerts to (a webhook contact point).");
        var email = app.Configuration[EmailSetting] is { Length: > 0 } addresses ? addresses : null;
        if (webhook is not null)
        {
            builder.WithEnvironment("GITHUB_EVENTS_ALERT_WEBHOOK_URL", webhook);
        }

        if (email is not null)
        {
            var host = app.Configuration[SmtpHostSetting] is { Length: > 0 } smtp
                ? smtp
                : throw new DistributedApplicationException($"{EmailSetting} is set, but Grafana has no SMTP server to send it through: set {SmtpHostSetting} (host:port).");
            builder.WithEnvironment("GITHUB_EVENTS_ALERT_EMAILS", email)
                .WithEnvironment("GF_SMTP_ENABLED", "true")
                .WithEnvironment("GF_SMTP_HOST", host);
            if (app.Configuration[SmtpUserSetting] is { Length: > 0 } user)
            {
                builder.WithEnvironment("GF_SMTP_USER", user);
            }

            if (app.Configuration[SmtpFromSetting] is { Length: > 0 } from)
            {
                builder.WithEnvironment("GF_SMTP_FROM_ADDRESS", from);
            }

            if (Secret(app, $"{name}-smtp-password", "The password of Grafana's SMTP login.") is { } password)
            {
                builder.WithEnvironment("GF_SMTP_PASSWORD", password);
            }
        }

        if (webhook is not null || email is not null)
        {
            ProvisioningFileOverride.Replace(builder, RelativePath, "contact-points.yaml", Render(webhook is not null, email is not null));
        }

        return builder;
    }

    /// <summary>
    /// The contact point <see cref="Name"/> with the chosen receivers, and a notification policy that sends every alert
    /// of the rules (severity critical or warning) to it and to Grafana's default contact point.
    /// </summary>
    public static string Render(bool webhook, bool email)
    {
        var text = new StringBuilder(
            $"""
             # Written by the AppHost for this run from its settings (docs/grafana.md, Alerts); the secrets come from the environment.
             apiVersion: 1

             contactPoints:
               - orgId: 1
                 name: {Name}
                 receivers:

             """);
        if (webhook)
        {
            text.Append(
                """
                      - uid: github-events-webhook
                        type: webhook
                        settings:
                          url: ${GITHUB_EVENTS_ALERT_WEBHOOK_URL}
                          httpMethod: POST

                """);
        }

        if (email)
        {
            text.Append(
                """
                      - uid: github-events-email
                        type: email
                        settings:
                          addresses: ${GITHUB_EVENTS_ALERT_EMAILS}

                """);
        }

        text.Append(
            $"""

             policies:
               - orgId: 1
                 receiver: grafana-default-email
                 group_by: [grafana_folder, alertname]
                 routes:
                   - receiver: {Name}
                     object_matchers:
                       - [severity, "=~", "critical|warning"]
                     continue: true
                   - receiver: grafana-default-email

             """);
        return text.ToString();
    }

    private static IResourceBuilder<ParameterResource>? Secret(IDistributedApplicationBuilder app, string name, string description) =>
        app.Configuration[$"Parameters:{name}"] is { Length: > 0 }
            ? app.AddParameter(name, secret: true).WithDescription(description)
            : null;
}
