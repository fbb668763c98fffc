using System.Text.Json;

namespace GithubEvents.Enrich.Profiles;

/// <summary>The GraphQL points budget as the answer's <c>rateLimit</c> field gives it.</summary>
public sealed record GraphQLRateLimit(int Limit, int Cost, int Remaining, DateTimeOffset ResetAt)
{
    /// <summary>The <c>rateLimit</c> member of an answer's <c>data</c>, or null when the query did not ask for it.</summary>
    public static GraphQLRateLimit? Read(JsonElement data) =>
        data.TryGetProperty("rateLimit", out var rateLimit) && rateLimit.ValueKind == JsonValueKind.Object
            ? new GraphQLRateLimit(
                rateLimit.GetProperty("limit").GetInt32(),
                rateLimit.GetProperty("cost").GetInt32(),
                rateLimit.GetProperty("remaining").GetInt32(),
                rateLimit.GetProperty("resetAt").GetDateTimeOffset())
            : null;
}
