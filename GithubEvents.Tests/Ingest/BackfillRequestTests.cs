using GithubEvents.Ingest.Archive;

namespace GithubEvents.Tests.Ingest;

public sealed class BackfillRequestTests
{
    [Fact]
    public void Reads_the_hours_rate_and_paths_and_leaves_section_settings_to_configuration()
    {
        var (request, configuration) = BackfillRequest.Parse(
            ["--from", "2025-01-01T00", "--to", "2025-01-01T23", "--rate", "2500", "--ConnectionStrings:kafka=localhost:9092", "--GhArchive:Url", "http://mirror/"]);

        Assert.Equal(new DateTime(2025, 1, 1, 0, 0, 0, DateTimeKind.Utc), request.From);
        Assert.Equal(new DateTime(2025, 1, 1, 23, 0, 0, DateTimeKind.Utc), request.To);
        Assert.Equal(DateTimeKind.Utc, request.From!.Value.Kind);
        Assert.Equal(2500, request.Rate);
        Assert.Empty(request.Paths);
        Assert.Equal(["--ConnectionStrings:kafka=localhost:9092", "--GhArchive:Url", "http://mirror/"], configuration);

        var (local, _) = BackfillRequest.Parse(["--path", "/data/a.json.gz", "--path", "/data/hours"]);
        Assert.Equal(["/data/a.json.gz", "/data/hours"], local.Paths);

        var (archive, _) = BackfillRequest.Parse(["--archive", "s3://archive/github-events", "--to", "2025-01-01T23"]);
        Assert.Equal("s3://archive/github-events", archive.Archive);
        Assert.Null(archive.From);
        Assert.Equal(new DateTime(2025, 1, 1, 23, 0, 0, DateTimeKind.Utc), archive.To);
    }

    [Theory]
    [InlineData(new[] { "--from", "2025-01-01T00" }, "Give --from and --to")]
    [InlineData(new[] { "--from", "2025-01-01", "--to", "2025-01-01T03" }, "--from expects an hour in UTC like 2025-01-01T00")]
    [InlineData(new[] { "--from", "2025-01-02T00", "--to", "2025-01-01T03" }, "is after --to")]
    [InlineData(new[] { "--path", "x", "--rate", "0" }, "--rate expects a positive number")]
    [InlineData(new[] { "--path" }, "--path needs a value")]
    [InlineData(new[] { "--path", "x", "--form", "2025-01-01T00" }, "Unknown argument '--form'")]
    [InlineData(new[] { "--path", "x", "--archive", "/srv/archive" }, "not both")]
    [InlineData(new[] { "--archive", "s3", "--archive", "/srv/archive" }, "Give one --archive")]
    public void A_wrong_command_line_says_what_is_wrong(string[] args, string message)
    {
        var error = Assert.Throws<BackfillUsageException>(() => BackfillRequest.Parse(args));

        Assert.Contains(message, error.Message);
    }

    [Fact]
    public void Hour_files_are_named_without_zero_padding_the_hour()
    {
        Assert.Equal("2025-01-01-0.json.gz", ArchiveHour.FileName(new DateTime(2025, 1, 1, 0, 0, 0, DateTimeKind.Utc)));
        Assert.Equal("2025-01-09-15.json.gz", ArchiveHour.FileName(new DateTime(2025, 1, 9, 15, 0, 0, DateTimeKind.Utc)));
        Assert.True(ArchiveHour.TryParseFileName("2021-07-21-6.json.gz", out var hour));
        Assert.Equal(new DateTime(2021, 7, 21, 6, 0, 0, DateTimeKind.Utc), hour);
        Assert.False(ArchiveHour.TryParseFileName("2021-07-21-24.json.gz", out _));
        Assert.False(ArchiveHour.TryParseFileName("2021-07-21.json", out _));
    }
}
