using GithubEvents.Enrich.Archive;
using GithubEvents.ServiceDefaults.Archive;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace GithubEvents.Tests.Archive;

public sealed class ArchiveConfigurationTests
{
    [Fact]
    public async Task A_retention_too_short_for_the_settle_delay_stops_start_up_naming_both_settings()
    {
        // The default settle delay (15 minutes) needs at least 2 hours 15 minutes.
        using var tooShort = Build(new Dictionary<string, string?> { ["Storage:Retention"] = "02:10:00" });
        using var off = Build(new Dictionary<string, string?> { ["Storage:Retention"] = "02:10:00", ["Archive:Enabled"] = "false" });
        using var fits = Build(new Dictionary<string, string?> { ["Storage:Retention"] = "02:10:00", ["Archive:SettleDelay"] = "00:10:00" });

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => tooShort.StartAsync(TestContext.Current.CancellationToken));
        Assert.Contains("Storage:Retention", error.Message);
        Assert.Contains("Archive:SettleDelay", error.Message);
        Assert.False(off.Services.GetRequiredService<IOptions<ArchiveOptions>>().Value.Enabled);
        Assert.Equal(TimeSpan.FromMinutes(10), fits.Services.GetRequiredService<IOptions<ArchiveOptions>>().Value.SettleDelay);
    }

    [Theory]
    [InlineData("Archive:Path", "")]
    [InlineData("Archive:SettleDelay", "2.00:00:00")]
    [InlineData("Archive:RowGroupRows", "10")]
    [InlineData("Archive:ReadRows", "0")]
    [InlineData("Archive:RecheckInterval", "00:00:01")]
    public async Task A_setting_out_of_range_stops_start_up_with_its_name(string setting, string value)
    {
        using var host = Build(new Dictionary<string, string?> { [setting] = value });

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync(TestContext.Current.CancellationToken));
        Assert.Contains(setting, error.Message);
    }

    [Theory]
    [InlineData("../elsewhere")]
    [InlineData("archive/../../etc")]
    [InlineData("/absolute/folder")]
    [InlineData("archive//events")]
    [InlineData("./archive")]
    [InlineData("archive\\events")]
    [InlineData("C:/archive")]
    public void An_S3_prefix_that_is_no_plain_folder_stops_start_up_with_its_name(string prefix)
    {
        using var host = Build(new Dictionary<string, string?> { ["Archive:S3:Bucket"] = "github-events", ["Archive:S3:Prefix"] = prefix });

        var error = Assert.Throws<OptionsValidationException>(() => host.Services.GetRequiredService<IOptions<ArchiveStorageOptions>>().Value);
        Assert.Contains("Archive:S3:Prefix", error.Message);
    }

    [Theory]
    [InlineData("")]
    [InlineData("archive")]
    [InlineData("archive/github-events/")]
    [InlineData("team_a/events.v2/(2026)")]
    public void An_S3_prefix_that_is_a_folder_is_taken_and_staged_below_the_temporary_folder(string prefix)
    {
        using var host = Build(new Dictionary<string, string?>
        {
            ["Archive:S3:Bucket"] = "github-events", ["Archive:S3:Prefix"] = prefix,
            ["Archive:S3:AccessKeyId"] = "KEYID", ["Archive:S3:SecretAccessKey"] = "SECRET",
        });

        Assert.Equal(prefix, host.Services.GetRequiredService<IOptions<ArchiveStorageOptions>>().Value.Prefix);
        var staging = Assert.IsType<S3ArchiveTarget>(host.Services.GetRequiredService<ArchiveTarget>()).StagingFolder;
        Assert.Equal(Path.Combine(Path.GetTempPath(), "github-events-archive"), Path.GetDirectoryName(Path.GetDirectoryName(staging)));
    }

    [Fact]
    public void Switched_off_there_is_no_archiver_and_retention_is_told_so()
    {
        using var on = Build([]);
        using var off = Build(new Dictionary<string, string?> { ["Archive:Enabled"] = "false" });

        Assert.Contains(on.Services.GetServices<IHostedService>(), service => service is Archiver);
        Assert.DoesNotContain(off.Services.GetServices<IHostedService>(), service => service is Archiver);
        Assert.Contains(off.Services.GetServices<IHostedService>(), service => service is ArchiveOff);
        Assert.Null(off.Services.GetService<ArchiveTarget>());
    }

    // Without the profile lookups, whose fill window a short retention would refuse too.
    private static IHost Build(Dictionary<string, string?> settings) => EnrichHost.Build(new(settings) { ["Profiles:Enabled"] = "false" });
}
