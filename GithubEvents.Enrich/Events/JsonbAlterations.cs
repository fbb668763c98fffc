using GithubEvents.ServiceDefaults.Json;

namespace GithubEvents.Enrich.Events;

/// <summary>What <see cref="JsonbText"/> changed in an event so that jsonb holds it; recorded in <c>events.altered</c>.</summary>
[Flags]
public enum JsonbAlterations
{
    None = 0,

    /// <summary>Each <c>\u0000</c> became <c>\ufffd</c>.</summary>
    NulEscape = JsonTextFaults.NulEscape,

    /// <summary>Each escaped surrogate without its pair became <c>\ufffd</c>.</summary>
    LoneSurrogate = JsonTextFaults.LoneSurrogate,

    /// <summary>Each sequence of bytes that is not UTF-8 became U+FFFD.</summary>
    InvalidUtf8 = JsonTextFaults.InvalidUtf8,

    /// <summary>Each number beyond PostgreSQL's numeric became a string of its digits.</summary>
    NumberOutOfRange = 8,
}
