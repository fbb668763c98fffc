namespace Aspire.Hosting;

/// <summary>How the AppHost ends on a start-up problem of its own making: the message alone, and exit code 1.</summary>
internal static class StartupFailure
{
    /// <summary>
    /// Aspire.Hosting.Testing runs this entry point inside a test and waits for its host: there the exception must
    /// reach the test, not end the entry point.
    /// </summary>
    public static bool IsHostedByTests =>
        AppDomain.CurrentDomain.GetAssemblies().Any(assembly => assembly.GetName().Name == "Aspire.Hosting.Testing");

    public static int Report(DistributedApplicationException exception)
    {
        Console.Error.WriteLine($"GithubEvents.AppHost cannot start: {exception.Message}");
        return 1;
    }
}
