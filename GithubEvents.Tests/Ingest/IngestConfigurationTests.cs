using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace GithubEvents.Tests.Ingest;

public sealed class IngestConfigurationTests(KafkaMockCluster kafka)
{
    [Theory]
    [InlineData("Kafka:Topics:Partitions", "0", "Kafka:Topics:Partitions")]
    [InlineData("Kafka:Publishing:BufferSize", "0", "Kafka:Publishing:BufferSize")]
    [InlineData("GitHub:BudgetShare", "1.5", "GitHub:BudgetShare")]
    [InlineData("GitHub:PollInterval", "00:00:02", "GitHub:PollInterval")]
    [InlineData("GitHub:ApiUrl", "/relative", "GitHub:ApiUrl")]
    public async Task Bad_settings_stop_start_up_with_a_message_naming_the_setting(string key, string value, string named) =>
        Assert.Contains(named, await StartUpErrorAsync(new Dictionary<string, string?> { [key] = value }));

    [Fact]
    public async Task A_fixed_pace_and_the_header_s_pace_together_stop_start_up_naming_both()
    {
        var error = await StartUpErrorAsync(new Dictionary<string, string?>
        {
            ["GitHub:Token"] = "t",
            ["GitHub:PollInterval"] = "00:00:02",
            ["GitHub:ObeyPollInterval"] = "true",
        });

        Assert.Contains("GitHub:PollInterval sets a fixed pace and GitHub:ObeyPollInterval=true the header's", error);
    }

    private async Task<string> StartUpErrorAsync(Dictionary<string, string?> settings)
    {
        var builder = IngestTestHost.Builder(kafka.BootstrapServers, TimeProvider.System, new LogCapture(), settings);
        builder.AddEventPublishing();
        builder.AddLivePolling();
        using var host = builder.Build();

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync(TestContext.Current.CancellationToken));
        return error.Message;
    }
}
