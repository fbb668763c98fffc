using Microsoft.Extensions.Logging;

namespace GithubEvents.Tests.Infrastructure;

public sealed record CapturedLog(string Category, LogLevel Level, string Message, string? Exception)
{
    public override string ToString() => $"{Level} {Category}: {Message}{(Exception is null ? "" : Environment.NewLine + Exception)}";
}
