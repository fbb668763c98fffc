using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
using GithubEvents.ServiceDefaults.Json;

namespace GithubEvents.Enrich.Events;

/// <summary>
/// Reads the typed columns of a raw GitHub event (Events API or GH Archive, either payload shape) and says why when
/// a message is not a usable event. One forward pass of <see cref="Utf8JsonReader"/> validates the whole message and
/// reads the columns; the payload is kept as the bytes received, and the envelope is the message with the payload
/// member cut out, both save what jsonb cannot hold (<see cref="JsonbText"/>). Text is read leniently: invalid UTF-8 and
/// lone surrogates in a login or a title become U+FFFD rather than an exception.
/// </summary>
public static class GitHubEventParser
{
    /// <summary>
    /// The longest type, login or repository name an event may have (GitHub's are under 40, 140 for a repository): the
    /// indexes on these columns cannot hold much longer values, and no GitHub event has them.
    /// </summary>
    public const int MaxNameLength = 255;

    public static bool TryParse(byte[] json, [NotNullWhen(true)] out EventRow? row, [NotNullWhen(false)] out string? rejection)
    {
        try
        {
            return TryRead(json, out row, out rejection);
        }
        catch (JsonException ex)
        {
            row = null;
            rejection = $"invalid JSON: {ex.Message}";
            return false;
        }
    }

    private static bool TryRead(byte[] json, [NotNullWhen(true)] out EventRow? row, [NotNullWhen(false)] out string? rejection)
    {
        row = null;
        var reader = new Utf8JsonReader(json);
        reader.Read();
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            var kind = Kind(reader.TokenType);
            reader.Skip();
            EnsureEnd(ref reader);
            rejection = $"not a JSON object but {kind}";
            return false;
        }

        var fields = new EventFields();
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            fields.Read(ref reader);
        }

        EnsureEnd(ref reader);
        rejection = fields.Rejection();
        if (rejection is not null)
        {
            return false;
        }

        var altered = JsonbAlterations.None;
        var payload = JsonbText.Storable(fields.PayloadObject is var (start, end) ? json[start..end] : "{}"u8.ToArray(), ref altered);
        var envelope = JsonbText.Storable(fields.PayloadMember is var (from, to) ? WithoutMember(json, from, to) : json, ref altered);
        row = new EventRow
        {
            Time = fields.Time!.Value,
            EventId = fields.EventId!.Value,
            EventType = fields.Type!,
            Actor = fields.Login!,
            ActorId = fields.ActorId!.Value,
            Repo = fields.RepoName,
            RepoId = fields.RepoId,
            Org = fields.OrgLogin,
            Detail = EventDetail.Describe(fields.Type!, fields.Payload ?? new PayloadFacts()),
            IsBot = BotLogin.Is(fields.Login!),
            Payload = payload,
            Envelope = envelope,
            Altered = JsonbText.Names(altered),
        };
        return true;
    }

    // After the root value only whitespace may follow: the reader throws on anything else.
    private static void EnsureEnd(ref Utf8JsonReader reader) => reader.Read();

    private static string Kind(JsonTokenType token) => token switch
    {
        JsonTokenType.StartArray => nameof(JsonValueKind.Array),
        JsonTokenType.String => nameof(JsonValueKind.String),
        JsonTokenType.Number => nameof(JsonValueKind.Number),
        JsonTokenType.True => nameof(JsonValueKind.True),
        JsonTokenType.False => nameof(JsonValueKind.False),
        _ => nameof(JsonValueKind.Null),
    };

    // The event without one member: the bytes before and after it, with the comma that separated it from a neighbour.
    private static byte[] WithoutMember(byte[] json, int start, int end)
    {
        var before = start - 1;
        while (IsWhitespace(json[before]))
        {
            before--;
        }

        if (json[before] == (byte)',')
        {
            start = before;
        }
        else
        {
            var after = end;
            while (IsWhitespace(json[after]))
            {
                after++;
            }

            if (json[after] == (byte)',')
            {
                end = after + 1;
            }
        }

        return [.. json.AsSpan(0, start), .. json.AsSpan(end)];
    }

    private static bool IsWhitespace(byte value) => value is (byte)' ' or (byte)'\t' or (byte)'\n' or (byte)'\r';

    /// <summary>The members of an event the row is made of, as one pass over its top level meets them.</summary>
    private sealed class EventFields
    {
        private bool _duplicatePayload;

        public long? EventId { get; private set; }

        public string? Type { get; private set; }

        public DateTime? Time { get; private set; }

        public long? ActorId { get; private set; }

        public string? Login { get; private set; }

        public long? RepoId { get; private set; }

        public string? RepoName { get; private set; }

        public string? OrgLogin { get; private set; }

        public PayloadFacts? Payload { get; private set; }

        /// <summary>Where the payload member, name to value, lies in the message.</summary>
        public (int Start, int End)? PayloadMember { get; private set; }

        /// <summary>Where the payload's value lies, when it is an object.</summary>
        public (int Start, int End)? PayloadObject { get; private set; }

        /// <summary>Reads the member the reader is on.</summary>
        public void Read(ref Utf8JsonReader reader)
        {
            if (reader.NameIs("id"u8)) EventId = reader.NextId();
            else if (reader.NameIs("type"u8)) Type = reader.NextText();
            else if (reader.NameIs("created_at"u8)) Time = reader.NextTime();
            else if (reader.NameIs("actor"u8)) (ActorId, Login) = ReadIdAndText(ref reader, "login"u8, (ActorId, Login));
            else if (reader.NameIs("repo"u8)) (RepoId, RepoName) = ReadIdAndText(ref reader, "name"u8, (RepoId, RepoName));
            else if (reader.NameIs("org"u8)) OrgLogin = reader.NextMemberText("login"u8);
            else if (reader.NameIs("payload"u8)) ReadPayload(ref reader);
            else reader.SkipNext();
        }

        public string? Rejection() =>
            EventId is null ? "missing or non-numeric id"
            : Type is null ? "missing type"
            : Time is null ? "missing or invalid created_at"
            : ActorId is null || Login is null ? "missing actor id or login"
            : _duplicatePayload ? "more than one payload member"
            : Type.Length > MaxNameLength ? $"type longer than {MaxNameLength} characters"
            : Login.Length > MaxNameLength ? $"actor login longer than {MaxNameLength} characters"
            : RepoName?.Length > MaxNameLength ? $"repo name longer than {MaxNameLength} characters"
            : OrgLogin?.Length > MaxNameLength ? $"org login longer than {MaxNameLength} characters"
            : null;

        private void ReadPayload(ref Utf8JsonReader reader)
        {
            if (PayloadMember is not null)
            {
                _duplicatePayload = true;
                reader.SkipNext();
                return;
            }

            var memberStart = (int)reader.TokenStartIndex;
            reader.Read();
            var valueStart = (int)reader.TokenStartIndex;
            if (reader.TokenType == JsonTokenType.StartObject)
            {
                Payload = PayloadFacts.Read(ref reader);
                PayloadObject = (valueStart, (int)reader.BytesConsumed);
            }
            else
            {
                reader.Skip();
            }

            PayloadMember = (memberStart, (int)reader.BytesConsumed);
        }

        // The actor's and the repository's objects alike: their id and one text member; anything else is skipped.
        private static (long? Id, string? Text) ReadIdAndText(ref Utf8JsonReader reader, ReadOnlySpan<byte> textMember, (long? Id, string? Text) read)
        {
            if (!reader.NextIsObject())
            {
                return read;
            }

            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (reader.NameIs("id"u8)) read.Id = reader.NextId();
                else if (reader.NameIs(textMember)) read.Text = reader.NextText();
                else reader.SkipNext();
            }

            return read;
        }
    }
}
