using System.Security.Cryptography;

namespace GithubEvents.Enrich.Archive;

/// <summary>A written file's key, size and SHA-256 (lower-case hex), as the manifest and <c>archive_exports</c> record them.</summary>
public sealed record FileDigest(string Key, long Bytes, string Sha256)
{
    public static async Task<FileDigest> OfAsync(string path, string key, CancellationToken cancellationToken)
    {
        await using var file = File.OpenRead(path);
        var hash = await SHA256.HashDataAsync(file, cancellationToken);
        return new FileDigest(key, file.Length, Convert.ToHexStringLower(hash));
    }
}
