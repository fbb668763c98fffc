namespace Aspire.Hosting.ApplicationModel;

/// <summary>
/// Who a deployed container runs as and where it may write: the image's own non-root user and group, and the paths it
/// writes to, each an emptyDir volume over a read-only root filesystem (a persistent claim is writable besides).
/// </summary>
/// <param name="User">The image's user id (<c>runAsUser</c>).</param>
/// <param name="Group">The image's group id (<c>runAsGroup</c>, and <c>fsGroup</c>, which owns the volumes).</param>
/// <param name="WritablePaths">The paths the image writes to at run time.</param>
public sealed record PodSecurityAnnotation(long User, long Group, IReadOnlyList<string> WritablePaths) : IResourceAnnotation
{
    /// <summary>
    /// The images the .NET SDK builds for the services (<c>dotnet publish /t:PublishContainer</c>): user <c>app</c>
    /// (1654), which writes only to <c>/tmp</c>.
    /// </summary>
    public static PodSecurityAnnotation DotNetApp { get; } = new(1654, 1654, ["/tmp"]);
}
