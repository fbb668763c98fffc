namespace Aspire.Hosting;

internal static class Passwords
{
    /// <summary>
    /// A random password, generated on first run and kept in the AppHost's user secrets. Overridden by
    /// configuration (Parameters:{name}) wherever the user sets one.
    /// </summary>
    public static GenerateParameterDefault Generated() => new() { MinLength = 24, Special = false };
}
