using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace GithubEvents.ServiceDefaults;

/// <summary>
/// The body of <c>/health</c> and <c>/alive</c>: the status, then a line for each check that is not healthy with its
/// name and description, so that the answer names what is down. A healthy answer is the status alone, as the framework
/// writes it; exceptions are left to the log.
/// </summary>
public static class HealthResponse
{
    public static Task WriteAsync(HttpContext context, HealthReport report)
    {
        var body = new StringBuilder(report.Status.ToString());
        foreach (var (name, entry) in report.Entries.Where(entry => entry.Value.Status != HealthStatus.Healthy).OrderBy(entry => entry.Key, StringComparer.Ordinal))
        {
            body.Append('\n').Append(name).Append(": ").Append(entry.Status).Append(entry.Description is { } description ? $": {description}" : "");
        }

        context.Response.ContentType = "text/plain; charset=utf-8";
        return context.Response.WriteAsync(body.ToString(), context.RequestAborted);
    }
}
