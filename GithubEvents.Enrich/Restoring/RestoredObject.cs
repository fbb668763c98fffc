using System.Text.Json.Nodes;

namespace GithubEvents.Enrich.Restoring;

/// <summary>
/// GitHub's answer about a <see cref="RestoreTarget"/>: its members in the REST payload's names (a commit as an entry
/// of a PushEvent's <c>commits</c>, a pull request's members of <c>pull_request</c>), or null when GitHub no longer has it.
/// </summary>
public sealed record RestoredObject(RestoreTarget Target, JsonObject? Value);
