using System.Globalization;
using System.Text.RegularExpressions;

namespace GithubEvents.Tests.Grafana;

/// <summary>
/// Turns a panel's SQL into the statement Grafana 12 sends PostgreSQL. First the variables, as the browser replaces
/// them (the SQL datasources' <c>interpolateVariable</c>: a multi-value or All-capable variable becomes quoted
/// literals joined by commas, a single value is inserted with its quotes doubled, a custom All value is inserted as it
/// is; <c>$__interval</c> and <c>$__interval_ms</c> come from the query's interval). Then the server's macros, as
/// <c>pkg/tsdb/grafana-postgresql-datasource/macros.go</c> expands them.
/// </summary>
internal static partial class GrafanaMacros
{
    public static string Expand(string sql, QueryContext context) => ExpandMacros(ExpandVariables(sql, context), context);

    private static string ExpandVariables(string sql, QueryContext context) =>
        Variable().Replace(sql, match =>
        {
            var name = match.Groups["plain"].Success ? match.Groups["plain"].Value : match.Groups["braced"].Value;
            return name switch
            {
                "__interval" => FormatInterval(context.Interval),
                "__interval_ms" => ((long)context.Interval.TotalMilliseconds).ToString(CultureInfo.InvariantCulture),
                // Grafana's own macros are left for the server.
                _ when name.StartsWith("__", StringComparison.Ordinal) => match.Value,
                _ when context.Variables.TryGetValue(name, out var selection) => Format(selection),
                _ => throw new InvalidOperationException($"The query uses ${name}, which is no variable of the dashboard."),
            };
        });

    private static string Format(VariableSelection selection)
    {
        if (selection.IsAll && selection.AllValue is not null)
        {
            return selection.AllValue;
        }

        if (selection.Multi || selection.IncludeAll)
        {
            return string.Join(',', selection.Values.Select(value => $"'{value.Replace("'", "''", StringComparison.Ordinal)}'"));
        }

        return selection.Values.Single().Replace("'", "''", StringComparison.Ordinal);
    }

    private static string ExpandMacros(string sql, QueryContext context) =>
        Macro().Replace(sql, match =>
        {
            var args = match.Groups["args"].Value.Split(',').Select(arg => arg.Trim()).ToArray();
            return Evaluate(match.Groups["name"].Value, args, context);
        });

    private static string Evaluate(string name, string[] args, QueryContext context) => name switch
    {
        "__timeFilter" => $"{args[0]} BETWEEN '{Rfc3339(context.From)}' AND '{Rfc3339(context.To)}'",
        "__timeFrom" => $"'{Rfc3339(context.From)}'",
        "__timeTo" => $"'{Rfc3339(context.To)}'",
        "__timeGroup" => TimeGroup(args, context),
        "__timeGroupAlias" => TimeGroup(args, context) + " AS \"time\"",
        _ => throw new InvalidOperationException($"unknown macro \"{name}\""),
    };

    private static string TimeGroup(string[] args, QueryContext context)
    {
        var seconds = ParseInterval(args[1].Trim('\'')).TotalSeconds;
        return context.TimescaleDb
            ? string.Create(CultureInfo.InvariantCulture, $"time_bucket('{seconds:F3}s',{args[0]})")
            : string.Create(CultureInfo.InvariantCulture, $"floor(extract(epoch from {args[0]})/{seconds})*{seconds}");
    }

    /// <summary>Go's RFC3339Nano in UTC: no trailing zeros in the fraction, none at all for whole seconds.</summary>
    private static string Rfc3339(DateTime time) =>
        time.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'", CultureInfo.InvariantCulture);

    /// <summary>Grafana's interval text (<c>gtime.FormatInterval</c>): the largest whole unit.</summary>
    public static string FormatInterval(TimeSpan interval) => interval switch
    {
        { TotalDays: >= 1 } => $"{(long)interval.TotalDays}d",
        { TotalHours: >= 1 } => $"{(long)interval.TotalHours}h",
        { TotalMinutes: >= 1 } => $"{(long)interval.TotalMinutes}m",
        { TotalSeconds: >= 1 } => $"{(long)interval.TotalSeconds}s",
        _ => $"{(long)interval.TotalMilliseconds}ms",
    };

    /// <summary>Grafana's interval and relative-time syntax: <c>500ms</c>, <c>30s</c>, <c>1m</c>, <c>24h</c>, <c>7d</c>, <c>1w</c>.</summary>
    public static TimeSpan ParseInterval(string text)
    {
        var match = IntervalText().Match(text);
        if (!match.Success)
        {
            throw new FormatException($"'{text}' is no Grafana interval.");
        }

        var amount = long.Parse(match.Groups["amount"].Value, CultureInfo.InvariantCulture);
        return match.Groups["unit"].Value switch
        {
            "ms" => TimeSpan.FromMilliseconds(amount),
            "s" => TimeSpan.FromSeconds(amount),
            "m" => TimeSpan.FromMinutes(amount),
            "h" => TimeSpan.FromHours(amount),
            "d" => TimeSpan.FromDays(amount),
            _ => TimeSpan.FromDays(7 * amount),
        };
    }

    // Grafana's variable syntax: $name and ${name}.
    [GeneratedRegex(@"\$(?:(?<plain>\w+)|\{(?<braced>\w+)\})")]
    private static partial Regex Variable();

    // macros.go's sExpr: $name(arguments), arguments without a closing parenthesis.
    [GeneratedRegex(@"\$(?<name>[_a-zA-Z0-9]+)\((?<args>[^\)]*)\)")]
    private static partial Regex Macro();

    [GeneratedRegex("^(?<amount>[0-9]+)(?<unit>ms|s|m|h|d|w)$")]
    private static partial Regex IntervalText();
}
