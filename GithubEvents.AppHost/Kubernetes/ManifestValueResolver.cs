using System.Globalization;

namespace GithubEvents.AppHost.Kubernetes;

/// <summary>
/// Turns the values of the Aspire model (strings, parameters, connection strings, endpoint references,
/// reference expressions) into manifest values: an endpoint becomes its Service's DNS name and port. It remembers
/// what the values it resolved connect to, for the NetworkPolicies.
/// </summary>
internal sealed class ManifestValueResolver(ServicePorts ports)
{
    private readonly HashSet<(string Resource, int Port)> _endpoints = [];

    /// <summary>The resources and ports that the resolved values name.</summary>
    public IReadOnlyCollection<(string Resource, int Port)> Endpoints => _endpoints;

    /// <summary>
    /// Whether a resolved value was the connection string of an existing server, whose address only the Secret holds.
    /// </summary>
    public bool NamesExistingServer { get; private set; }

    /// <summary>The environment variable that holds a parameter's value in every container that uses it.</summary>
    public static string VariableFor(ParameterResource parameter) =>
        "PARAMETER_" + new string(parameter.Name.Select(c => char.IsAsciiLetterOrDigit(c) ? char.ToUpperInvariant(c) : '_').ToArray());

    public async Task<ManifestValue> ResolveAsync(object? value, CancellationToken cancellationToken)
    {
        return value switch
        {
            null => ManifestValue.Literal(""),
            string text => ManifestValue.Literal(text),
            ParameterResource parameter => Parameter(parameter),
            ConnectionStringReference reference => await ResolveAsync(reference.Resource.ConnectionStringExpression, cancellationToken),
            IResourceWithConnectionString resource => await ResolveAsync(resource.ConnectionStringExpression, cancellationToken),
            EndpointReference endpoint => ManifestValue.Literal(Endpoint(endpoint, EndpointProperty.Url)),
            EndpointReferenceExpression expression => ManifestValue.Literal(Endpoint(expression.Endpoint, expression.Property)),
            ReferenceExpression expression => await ExpressionAsync(expression, cancellationToken),
            _ => throw new DistributedApplicationException(
                $"The Kubernetes manifests cannot express a value of type {value.GetType().Name} ('{(value as IManifestExpressionProvider)?.ValueExpression}')."),
        };
    }

    private ManifestValue Parameter(ParameterResource parameter)
    {
        // AddConnectionString's resource is a parameter: the connection string of a server outside the model.
        NamesExistingServer |= parameter is IResourceWithConnectionString;
        return new($"$({VariableFor(parameter)})", [parameter], parameter);
    }

    private async Task<ManifestValue> ExpressionAsync(ReferenceExpression expression, CancellationToken cancellationToken)
    {
        if (expression.IsConditional)
        {
            var condition = await ResolveAsync(expression.Condition, cancellationToken);
            if (condition.Parameters.Count > 0)
            {
                throw new DistributedApplicationException(
                    $"The Kubernetes manifests cannot choose a value by a parameter ('{expression.ValueExpression}'): parameters are read only in the cluster.");
            }

            return await ResolveAsync(condition.Text == expression.MatchValue ? expression.WhenTrue : expression.WhenFalse, cancellationToken);
        }

        var arguments = new ManifestValue[expression.ValueProviders.Count];
        for (var i = 0; i < arguments.Length; i++)
        {
            var argument = await ResolveAsync(expression.ValueProviders[i], cancellationToken);
            arguments[i] = expression.StringFormats[i] switch
            {
                null => argument,
                "uri" when argument.Parameters.Count == 0 => new(Uri.EscapeDataString(argument.Text), []),
                var format => throw new DistributedApplicationException(
                    $"The Kubernetes manifests cannot apply the '{format}' format to a parameter ('{expression.ValueExpression}'): " +
                    "the cluster would have to derive it from the Secret. Give the resource only the values it reads (WithReferenceEnvironment)."),
            };
        }

        if (expression.Format == "{0}" && arguments.Length == 1)
        {
            return arguments[0];
        }

        var text = string.Format(CultureInfo.InvariantCulture, expression.Format.Replace("$(", "$$(", StringComparison.Ordinal), arguments.Select(a => (object)a.Text).ToArray());
        return new(text, arguments.SelectMany(a => a.Parameters).Distinct().ToList());
    }

    private string Endpoint(EndpointReference reference, EndpointProperty property)
    {
        var endpoint = ports.Find(reference);
        var host = reference.Resource.Name;
        var portNumber = ports.PortOf(reference.Resource, endpoint);
        _endpoints.Add((host, portNumber));
        var port = portNumber.ToString(CultureInfo.InvariantCulture);

        return property switch
        {
            EndpointProperty.Url => $"{endpoint.UriScheme}://{host}:{port}",
            EndpointProperty.Host or EndpointProperty.IPV4Host => host,
            EndpointProperty.Port or EndpointProperty.TargetPort => port,
            EndpointProperty.HostAndPort => $"{host}:{port}",
            EndpointProperty.Scheme => endpoint.UriScheme,
            _ => throw new DistributedApplicationException($"The Kubernetes manifests cannot express the {property} of endpoint '{reference.Resource.Name}/{reference.EndpointName}'."),
        };
    }
}
