using System.Globalization;

namespace GithubEvents.Ingest.Archive;

/// <summary>What <c>backfill</c> was asked to replay: a range of hours from GH Archive, local files, or the archive Enrich keeps.</summary>
public sealed record BackfillRequest(DateTime? From, DateTime? To, IReadOnlyList<string> Paths, double? Rate, string? Archive = null)
{
    public const string Usage = """
        Usage: backfill --from 2025-01-01T00 --to 2025-01-01T23 [--rate EVENTS_PER_SECOND]
               backfill --path FILE_OR_FOLDER [--path ...] [--from HOUR] [--to HOUR] [--rate EVENTS_PER_SECOND]
               backfill --archive FOLDER|s3|s3://BUCKET/PREFIX [--from HOUR] [--to HOUR] [--rate EVENTS_PER_SECOND]
        Hours are UTC and inclusive. Settings may follow as --Section:Key=value, e.g. --ConnectionStrings:kafka=localhost:9092.
        """;

    /// <summary>The request, and the arguments left for configuration (those shaped <c>--Section:Key=value</c>).</summary>
    public static (BackfillRequest Request, string[] Configuration) Parse(IReadOnlyList<string> args)
    {
        DateTime? from = null, to = null;
        double? rate = null;
        string? archive = null;
        var paths = new List<string>();
        var configuration = new List<string>();
        for (var i = 0; i < args.Count; i++)
        {
            var argument = args[i];
            switch (argument)
            {
                case "--from":
                    from = Hour(argument, Value(args, ref i));
                    break;
                case "--to":
                    to = Hour(argument, Value(args, ref i));
                    break;
                case "--path":
                    paths.Add(Value(args, ref i));
                    break;
                case "--archive":
                    archive = archive is null ? Value(args, ref i) : throw new BackfillUsageException("Give one --archive.");
                    break;
                case "--rate":
                    var text = Value(args, ref i);
                    rate = double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && value > 0
                        ? value
                        : throw new BackfillUsageException($"--rate expects a positive number of events per second, not '{text}'.");
                    break;
                case not null when argument.StartsWith("--", StringComparison.Ordinal) && argument.Contains(':'):
                    configuration.Add(argument);
                    if (!argument.Contains('=') && i + 1 < args.Count)
                    {
                        configuration.Add(args[++i]);
                    }

                    break;
                default:
                    throw new BackfillUsageException($"Unknown argument '{argument}'.");
            }
        }

        if (archive is not null && paths.Count > 0)
        {
            throw new BackfillUsageException("Give --path (GH Archive files) or --archive (the archive Enrich keeps), not both.");
        }

        if (paths.Count == 0 && archive is null && (from is null || to is null))
        {
            throw new BackfillUsageException(
                "Give --from and --to (hours to fetch from GH Archive), --path (local files or a folder), or --archive (the archive Enrich keeps).");
        }

        if (from > to)
        {
            throw new BackfillUsageException($"--from {ArchiveHour.Format(from.Value)} is after --to {ArchiveHour.Format(to!.Value)}.");
        }

        return (new BackfillRequest(from, to, paths, rate, archive), configuration.ToArray());
    }

    private static string Value(IReadOnlyList<string> args, ref int i) =>
        ++i < args.Count ? args[i] : throw new BackfillUsageException($"{args[i - 1]} needs a value.");

    private static DateTime Hour(string option, string value) =>
        ArchiveHour.TryParseArgument(value, out var hour)
            ? hour
            : throw new BackfillUsageException($"{option} expects an hour in UTC like 2025-01-01T00, not '{value}'.");
}
