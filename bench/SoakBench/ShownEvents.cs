using System.Text.Json.Nodes;

/// <summary>The events the public feed showed (<see cref="GithubEvents.Tests.Fakes.FakeGitHub.ShownOnPublicFeed"/>), as lines of id, a tab, created_at.</summary>
internal static class ShownEvents
{
    public static int Write(IReadOnlyCollection<string> shown, string path)
    {
        File.WriteAllLines(path, shown.Select(json => JsonNode.Parse(json)!).Select(e => $"{(string)e["id"]!}\t{(string)e["created_at"]!}"));
        return shown.Count;
    }
}
