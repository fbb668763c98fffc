using System.Security.Cryptography;
using System.Text;

namespace GithubEvents.Enrich.Storage;

/// <summary>The schema's SQL files, embedded in the assembly by folder (<c>Migrations/</c>, <c>Definitions/</c>).</summary>
internal static class SchemaFiles
{
    /// <summary>Every file of the folder: its name without the folder, and its text.</summary>
    public static IEnumerable<(string FileName, string Text)> Read(string folder)
    {
        var assembly = typeof(SchemaFiles).Assembly;
        foreach (var resource in assembly.GetManifestResourceNames().Where(name => name.StartsWith(folder + "/", StringComparison.Ordinal)).Order(StringComparer.Ordinal))
        {
            using var reader = new StreamReader(assembly.GetManifestResourceStream(resource)!);
            yield return (resource[(folder.Length + 1)..], reader.ReadToEnd());
        }
    }

    /// <summary>What the database records of a file's text: its SHA-256, the same whatever line endings a checkout gave it.</summary>
    public static string Checksum(string text) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text.ReplaceLineEndings("\n"))));
}
