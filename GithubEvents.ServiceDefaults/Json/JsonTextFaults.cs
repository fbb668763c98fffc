namespace GithubEvents.ServiceDefaults.Json;

/// <summary>What <see cref="LenientJson"/> found in JSON text and replaced with U+FFFD.</summary>
[Flags]
public enum JsonTextFaults
{
    None = 0,

    /// <summary>The escape <c>\u0000</c>: valid JSON, but no text column nor jsonb can hold it.</summary>
    NulEscape = 1,

    /// <summary>An escaped surrogate without its pair (<c>\ud800</c> alone, say: half of an emoji cut off).</summary>
    LoneSurrogate = 2,

    /// <summary>Bytes that are not UTF-8.</summary>
    InvalidUtf8 = 4,
}
