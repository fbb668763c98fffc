using GithubEvents.Enrich.Filling;
using GithubEvents.Enrich.Profiles;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace GithubEvents.Tests.Profiles;

public sealed class ProfileConfigurationTests
{
    [Theory]
    [InlineData("Profiles:BatchSize", "101")]
    [InlineData("Profiles:GraphQLBudgetShare", "1.5")]
    [InlineData("Profiles:TimeToLive", "00:00:10")]
    [InlineData("Profiles:FillWindow", "30.00:00:00")]
    [InlineData("Profiles:GraphQLUrl", "/graphql")]
    [InlineData("GitHub:RequestTimeout", "01:00:00")]
    [InlineData("Restoration:BatchSize", "0")]
    [InlineData("Restoration:Window", "30.00:00:00")]
    [InlineData("Restoration:GraphQLBudgetShare", "0.2")]
    public async Task A_setting_out_of_range_stops_start_up_with_its_name(string setting, string value)
    {
        using var host = Build(new Dictionary<string, string?> { [setting] = value });

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync(TestContext.Current.CancellationToken));
        Assert.Contains(setting, error.Message);
    }

    [Fact]
    public async Task An_aggregate_refresh_window_shorter_than_the_fill_window_stops_start_up_naming_both()
    {
        using var host = Build(new Dictionary<string, string?> { ["Storage:AggregateRefreshWindow"] = "12:00:00" });
        using var byRetention = Build(new Dictionary<string, string?> { ["Storage:Retention"] = "12:00:00" });
        using var fits = Build(new Dictionary<string, string?> { ["Storage:AggregateRefreshWindow"] = "12:00:00", ["Profiles:FillWindow"] = "12:00:00" });

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync(TestContext.Current.CancellationToken));
        Assert.Contains("Storage:AggregateRefreshWindow", error.Message);
        Assert.Contains("Profiles:FillWindow", error.Message);
        Assert.Throws<OptionsValidationException>(() => byRetention.Services.GetRequiredService<IOptions<FillOptions>>().Value);
        Assert.Equal(TimeSpan.FromHours(12), fits.Services.GetRequiredService<IOptions<FillOptions>>().Value.FillWindow);
    }

    [Fact]
    public void Switched_off_there_are_no_lookups_and_no_late_filling()
    {
        using var on = Build([]);
        using var off = Build(new Dictionary<string, string?> { ["Profiles:Enabled"] = "false" });

        Assert.Contains(on.Services.GetServices<IHostedService>(), service => service is ProfileResolver);
        Assert.Contains(on.Services.GetServices<IHostedService>(), service => service is LateFilling);
        Assert.DoesNotContain(off.Services.GetServices<IHostedService>(), service => service is ProfileResolver or LateFilling);
        Assert.Null(off.Services.GetService<GitHubProfileClient>());
    }

    private static IHost Build(Dictionary<string, string?> settings) => EnrichHost.Build(settings);
}
