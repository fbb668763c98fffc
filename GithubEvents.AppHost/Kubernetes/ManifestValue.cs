namespace GithubEvents.AppHost.Kubernetes;

/// <summary>
/// A value as a manifest writes it. Every parameter in it is a <c>$(VAR)</c> reference to an environment
/// variable that Kubernetes fills from the parameters' Secret, so no parameter value is ever written.
/// </summary>
/// <param name="Text">The value, escaped for Kubernetes' <c>$(VAR)</c> expansion.</param>
/// <param name="Parameters">The parameters the text refers to.</param>
/// <param name="Whole">The parameter when the value is exactly one parameter and nothing else.</param>
internal sealed record ManifestValue(string Text, IReadOnlyList<ParameterResource> Parameters, ParameterResource? Whole = null)
{
    public static ManifestValue Literal(string text) => new(text.Replace("$(", "$$(", StringComparison.Ordinal), []);
}
