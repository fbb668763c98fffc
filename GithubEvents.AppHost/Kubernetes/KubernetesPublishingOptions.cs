using System.ComponentModel.DataAnnotations;

namespace Aspire.Hosting;

/// <summary>
/// Settings of the Kubernetes manifests the publish step writes (section <c>Kubernetes</c>).
/// </summary>
public sealed class KubernetesPublishingOptions
{
    public const string SectionName = "Kubernetes";

    /// <summary>
    /// The application's name: prefix of the project images (<c>{Name}-ingest</c>) and of the parameters'
    /// Secret (<c>{Name}-parameters</c>), and the <c>app.kubernetes.io/part-of</c> label.
    /// </summary>
    [Required(ErrorMessage = "Kubernetes:Name is required.")]
    [RegularExpression("^[a-z0-9]([-a-z0-9]*[a-z0-9])?$", ErrorMessage = "Kubernetes:Name must be a DNS label: lower-case letters, digits and '-'.")]
    [StringLength(40, ErrorMessage = "Kubernetes:Name must be at most 40 characters.")]
    public string Name { get; set; } = "github-events";

    /// <summary>The registry (and path) the project images are pushed to, e.g. <c>ghcr.io/acme</c>.</summary>
    [Required(ErrorMessage = "Kubernetes:ImageRegistry is required.")]
    [RegularExpression(@"^(?!.*://)[a-z0-9][-a-z0-9.:/_]*[a-z0-9]$", ErrorMessage = "Kubernetes:ImageRegistry must look like 'registry.example.com/team' (lower case, no scheme).")]
    public string ImageRegistry { get; set; } = "localhost:5000";

    /// <summary>The tag of the project images.</summary>
    [Required(ErrorMessage = "Kubernetes:ImageTag is required.")]
    [RegularExpression(@"^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$", ErrorMessage = "Kubernetes:ImageTag must be a valid image tag.")]
    public string ImageTag { get; set; } = "latest";
}
