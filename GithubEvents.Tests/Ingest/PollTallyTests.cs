using GithubEvents.Ingest.GitHub;
using GithubEvents.ServiceDefaults.Kafka;

namespace GithubEvents.Tests.Ingest;

public sealed class PollTallyTests
{
    private static readonly DateTimeOffset Minute = new(2026, 12, 7, 4, 20, 0, TimeSpan.Zero);

    [Fact]
    public void A_minute_without_polls_is_undelivered_once_and_the_next_minute_starts_delivered()
    {
        var tally = new PollTally("ingest-1");
        tally.PollStarted(Minute.AddSeconds(5));

        Assert.True(tally.Undelivered(Minute.AddSeconds(30)));
        Assert.False(tally.Undelivered(Minute.AddSeconds(31)));
        Assert.Equal(new PollFigures(Minute, "ingest-1", 1, 0, 0, 0, 0, 0, 0, 0, Undelivered: true), tally.Figures());

        tally.PollStarted(Minute.AddMinutes(1));
        Assert.Equal(new PollFigures(Minute.AddMinutes(1), "ingest-1", 1, 0, 0, 0, 0, 0, 0, 0), tally.Figures());
        Assert.True(tally.Undelivered(Minute.AddMinutes(2)));
        Assert.Equal(new PollFigures(Minute.AddMinutes(2), "ingest-1", 0, 0, 0, 0, 0, 0, 0, 0, Undelivered: true), tally.Figures());
    }

    [Fact]
    public void An_undelivered_minute_made_again_equals_the_one_the_tally_records()
    {
        var tally = new PollTally("ingest-1", "repos/o/r");
        tally.PollStarted(Minute);
        Assert.True(tally.Undelivered(Minute.AddMinutes(3).AddSeconds(1)));

        Assert.Equal(tally.Figures(), tally.UndeliveredMinute(Minute.AddMinutes(3)));
    }

    [Fact]
    public void Figures_from_before_undelivered_minutes_were_recorded_read_as_delivered()
    {
        const string Old = """{"minute":"2026-12-07T04:20:00+00:00","poller":"ingest-1","polls":1,"requests":1,"ok":1,"not_modified":0,"failed":0,"events_returned":3,"new_events":3,"missed_polls":0,"feed":"events"}""";

        Assert.True(PollFigures.TryParse(System.Text.Encoding.UTF8.GetBytes(Old), out var figures, out _));
        Assert.False(figures.Undelivered);
        Assert.True(PollFigures.TryParse((figures with { Undelivered = true }).ToJson(), out var undelivered, out _));
        Assert.True(undelivered.Undelivered);
    }
}
