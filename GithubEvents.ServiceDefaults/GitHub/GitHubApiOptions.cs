using System.ComponentModel.DataAnnotations;

namespace GithubEvents.ServiceDefaults.GitHub;

/// <summary>How a service reaches the GitHub API, bound from <c>GitHub</c>; both services read the same settings.</summary>
public class GitHubApiOptions : IValidatableObject
{
    public const string SectionName = "GitHub";

    /// <summary>The REST API root; GitHub Enterprise Server's is <c>https://HOST/api/v3</c>.</summary>
    [Required(ErrorMessage = "GitHub:ApiUrl must be the API's absolute URL, e.g. https://api.github.com.")]
    public Uri ApiUrl { get; set; } = new("https://api.github.com");

    /// <summary>Optional: 5,000 requests an hour instead of 60, and the GraphQL API. Never logged.</summary>
    public string? Token { get; set; }

    [Range(typeof(TimeSpan), "00:00:00.100", "00:10:00", ErrorMessage = "GitHub:RequestTimeout must be between 0.1 s and 10 min.")]
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(30);

    [Required(ErrorMessage = "GitHub:UserAgent must identify this client, as GitHub requires.")]
    public string UserAgent { get; set; } = "GithubEvents";

    public bool HasToken => !string.IsNullOrWhiteSpace(Token);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (ApiUrl is { IsAbsoluteUri: false })
        {
            yield return new ValidationResult("GitHub:ApiUrl must be an absolute URL, e.g. https://api.github.com.", [nameof(ApiUrl)]);
        }
    }
}
