namespace Aspire.Hosting;

/// <summary>Who runs the local server: initdb and postgres refuse root, so for root they run as <c>postgres</c>.</summary>
internal static class LocalAccount
{
    public const string ServerAccount = "postgres";

    public static bool IsRoot => (OperatingSystem.IsLinux() || OperatingSystem.IsMacOS()) && Environment.UserName == "root";

    public static bool ServerAccountExists => File.ReadLines("/etc/passwd").Any(line => line.StartsWith($"{ServerAccount}:", StringComparison.Ordinal));

    /// <summary>The command and arguments that run <paramref name="program"/> as the server's account.</summary>
    public static (string Command, string[] Arguments) AsServerAccount(string program, params string[] arguments) => IsRoot
        ? ("setpriv", [$"--reuid={ServerAccount}", $"--regid={ServerAccount}", "--init-groups", "--", program, .. arguments])
        : (program, arguments);
}
