namespace GithubEvents.ServiceDefaults;

/// <summary>The waits between attempts that every retry loop of the services uses.</summary>
public static class Retries
{
    /// <summary>The wait before attempt <paramref name="attempt"/> (1 for the first retry): the minimum, doubling up to the maximum.</summary>
    public static TimeSpan Exponential(TimeSpan minimum, TimeSpan maximum, int attempt) =>
        TimeSpan.FromTicks((long)Math.Min(maximum.Ticks, minimum.Ticks * Math.Pow(2, Math.Min(attempt - 1, 30))));

    /// <summary>The wait after <paramref name="delay"/>: twice as long, up to the maximum.</summary>
    public static TimeSpan Doubled(TimeSpan delay, TimeSpan maximum) => TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, maximum.Ticks));

    /// <summary>How long an answer's <c>Retry-After</c> asks to wait (seconds or a date); null without one.</summary>
    public static TimeSpan? RetryAfter(HttpResponseMessage response, TimeProvider time) => response.Headers.RetryAfter switch
    {
        { Delta: { } delta } => delta,
        { Date: { } date } => date - time.GetUtcNow() is var wait && wait > TimeSpan.Zero ? wait : TimeSpan.Zero,
        _ => null,
    };
}
