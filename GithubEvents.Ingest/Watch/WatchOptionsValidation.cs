using System.ComponentModel.DataAnnotations;
using System.Text.RegularExpressions;
using GithubEvents.Ingest.GitHub;
using Microsoft.Extensions.Options;

namespace GithubEvents.Ingest.Watch;

/// <summary>
/// The settings' ranges, names GitHub could have, and a watch share the live poller's share can hold; each message names
/// the setting. Not an <see cref="IValidateOptions{TOptions}"/>: the watch list is read again at every change, and an
/// options monitor that validates throws inside the configuration's change callback, where nobody can report it. The
/// watch poller validates at start (Ingest stops with the messages) and at each change (the list in force stays).
/// </summary>
public sealed partial class WatchOptionsValidation(IOptions<GitHubOptions> github)
{
    public ValidateOptionsResult Validate(WatchOptions options)
    {
        var ranges = new List<ValidationResult>();
        Validator.TryValidateObject(options, new ValidationContext(options), ranges, validateAllProperties: true);
        var failures = ranges.Select(result => result.ErrorMessage!).ToList();
        failures.AddRange(WatchOptions.Names(options.Repositories).Where(entry => !RepositoryName().IsMatch(entry))
            .Select(entry => $"GitHub:Watch:Repositories: '{entry}' is not an owner/name of a GitHub repository."));
        failures.AddRange(WatchOptions.Names(options.Organizations).Where(entry => !Login().IsMatch(entry))
            .Select(entry => $"GitHub:Watch:Organizations: '{entry}' is not the login of a GitHub organisation."));
        if (options.MinimumInterval > options.MaximumInterval)
        {
            failures.Add("GitHub:Watch:MinimumInterval is longer than GitHub:Watch:MaximumInterval.");
        }

        if (options.Targets().Count > 0 && options.BudgetShare >= github.Value.BudgetShare)
        {
            failures.Add($"GitHub:Watch:BudgetShare ({options.BudgetShare}) must be less than GitHub:BudgetShare ({github.Value.BudgetShare}), which it is taken from.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    [GeneratedRegex("^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})/[A-Za-z0-9._-]{1,100}$")]
    private static partial Regex RepositoryName();

    [GeneratedRegex("^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})$")]
    private static partial Regex Login();
}
