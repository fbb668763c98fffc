#pragma warning disable ASPIREPIPELINES001, ASPIREPIPELINES004 // The publishing pipeline is experimental in Aspire 13.6.

using Aspire.Hosting.Pipelines;
using GithubEvents.AppHost.Kubernetes;
using k8s;
using k8s.Models;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Aspire.Hosting;

public static class KubernetesPublishingExtensions
{
    private const string StepName = "publish-kubernetes";

    /// <summary>
    /// Adds a step to the publish pipeline that writes Kubernetes manifests of the whole model into the
    /// output folder: <c>aspire publish -o DIR</c>, or
    /// <c>dotnet run --project GithubEvents.AppHost -- --operation publish --step publish --output-path DIR</c>.
    /// </summary>
    public static IDistributedApplicationBuilder AddKubernetesPublishing(this IDistributedApplicationBuilder builder)
    {
        // A run reads none of it: a Kubernetes setting must not stop one.
        if (builder.ExecutionContext.IsRunMode)
        {
            return builder;
        }

        builder.Services.AddOptions<KubernetesPublishingOptions>()
            .BindConfiguration(KubernetesPublishingOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();

        builder.Pipeline.AddStep(StepName, PublishAsync, requiredBy: WellKnownPipelineSteps.Publish);
        return builder;
    }

    private static async Task PublishAsync(PipelineStepContext context)
    {
        var options = context.Services.GetRequiredService<IOptions<KubernetesPublishingOptions>>().Value;
        var output = context.Services.GetRequiredService<IPipelineOutputService>().GetOutputDirectory();

        var files = await new KubernetesManifests(context.Model, context.ExecutionContext, options).BuildAsync(context.CancellationToken);
        foreach (var file in files)
        {
            var path = Path.Combine(output, file.Path);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            var documents = file.Documents.Select(d => KubernetesYaml.Serialize(d).TrimEnd() + "\n");
            await File.WriteAllTextAsync(path, file.Header + string.Join("---\n", documents), context.CancellationToken);
        }

        context.Logger.LogInformation("Wrote the Kubernetes manifests of {Count} workloads and their NetworkPolicies to {Directory}", files.Count(f => f.Documents.Any(d => d is V1Deployment or V1StatefulSet)), output);
    }
}
