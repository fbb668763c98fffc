using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Testing;

namespace GithubEvents.Tests.AppHost;

/// <summary>What the model tests read of a built, never started application model.</summary>
public static class ModelInspection
{
    public static IResource Resource(IDistributedApplicationTestingBuilder builder, string name) =>
        builder.Resources.SingleOrDefault(r => r.Name == name) ?? throw new Xunit.Sdk.XunitException($"No resource named '{name}'.");

    /// <summary>
    /// The environment as a manifest writes it: parameters and endpoints appear as {name.value} expressions, so a test
    /// sees the wiring and never a secret's value.
    /// </summary>
    public static async Task<Dictionary<string, string>> PublishedEnvironment(IResource resource)
    {
#pragma warning disable CS0618 // ExecutionConfigurationBuilder resolves values; the manifest expressions are what this checks.
        return await ((IResourceWithEnvironment)resource).GetEnvironmentVariableValuesAsync(DistributedApplicationOperation.Publish);
#pragma warning restore CS0618
    }

    /// <summary>The resources the named one waits for, by name, in order.</summary>
    public static string[] WaitsFor(IDistributedApplicationTestingBuilder builder, string name) =>
        Resource(builder, name).Annotations.OfType<WaitAnnotation>().Select(w => w.Resource.Name).Order().ToArray();
}
