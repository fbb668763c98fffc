using System.Globalization;
using System.Text;

namespace GithubEvents.Enrich.Geocoding;

/// <summary>
/// The key a free-text location is cached under: Unicode-normalised (NFKC), lower case, words separated by one
/// space, and the parts of the location ("City, Region, Country": commas, semicolons, slashes, brackets, pipes,
/// dashes between spaces) by ", ". Apostrophes go, and so do the dots of abbreviations ("U.S.A." is "usa");
/// other punctuation, symbols and emoji separate words.
/// </summary>
public static class LocationKey
{
    private const char PartBreak = ',';

    /// <summary>The key, or null when nothing is left (empty, only punctuation or emoji).</summary>
    public static string? Normalize(string? location)
    {
        if (string.IsNullOrWhiteSpace(location))
        {
            return null;
        }

        var text = location.Normalize(NormalizationForm.FormKC).ToLowerInvariant();
        var parts = new List<string>();
        var part = new StringBuilder();
        var pendingSpace = false;

        void EndPart()
        {
            if (part.Length > 0)
            {
                parts.Add(part.ToString());
                part.Clear();
            }

            pendingSpace = false;
        }

        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (IsWordCharacter(text, i))
            {
                if (pendingSpace && part.Length > 0)
                {
                    part.Append(' ');
                }

                pendingSpace = false;
                part.Append(c);
            }
            else if (c is '\'' or '’' or 'ʼ' or '`' or '´' or '‘')
            {
                // Xi'an, O'Fallon: the apostrophe joins.
            }
            else if (c == '.' && !pendingSpace && IsSingleLetter(text, i - 1))
            {
                // The dot after a single letter ("U.S.A.", "D.C."): the letters join.
            }
            else if (IsPartBreak(text, i))
            {
                EndPart();
            }
            else
            {
                pendingSpace = true;
            }
        }

        EndPart();
        return parts.Count == 0 ? null : string.Join(", ", parts);
    }

    /// <summary>A key's parts, as <see cref="Normalize"/> separated them.</summary>
    public static string[] Parts(string key) => key.Split(", ");

    /// <summary>
    /// The key without the accents of Latin letters ("são paulo" is "sao paulo", "zürich" is "zurich"), for matching
    /// names however they are written. Other scripts keep their marks, which are part of their letters.
    /// </summary>
    public static string Fold(string key)
    {
        if (key.All(char.IsAscii))
        {
            return key;
        }

        var decomposed = key.Normalize(NormalizationForm.FormD);
        var folded = new StringBuilder(decomposed.Length);
        var previous = '\0';
        foreach (var c in decomposed)
        {
            if (CharUnicodeInfo.GetUnicodeCategory(c) == UnicodeCategory.NonSpacingMark && previous < '\u0250')
            {
                continue;
            }

            folded.Append(c switch
            {
                'ß' => "ss",
                'æ' => "ae",
                'œ' => "oe",
                'ø' => "o",
                'ł' => "l",
                'đ' => "d",
                'ð' => "d",
                'ı' or 'İ' => "i",
                'þ' => "th",
                _ => c.ToString(),
            });
            previous = c;
        }

        return folded.ToString().Normalize(NormalizationForm.FormC);
    }

    // A letter that stands alone or follows an abbreviation's dot: the "s" of "u.s." but not the "t" of "st.".
    private static bool IsSingleLetter(string text, int index) =>
        index >= 0 && char.IsLetter(text[index]) && (index == 0 || text[index - 1] == '.' || !IsWordCharacter(text, index - 1));

    private static bool IsWordCharacter(string text, int index)
    {
        var category = CharUnicodeInfo.GetUnicodeCategory(text, index);
        return category is UnicodeCategory.LowercaseLetter or UnicodeCategory.UppercaseLetter or UnicodeCategory.TitlecaseLetter
            or UnicodeCategory.ModifierLetter or UnicodeCategory.OtherLetter
            or UnicodeCategory.NonSpacingMark or UnicodeCategory.SpacingCombiningMark or UnicodeCategory.EnclosingMark
            or UnicodeCategory.DecimalDigitNumber or UnicodeCategory.LetterNumber or UnicodeCategory.OtherNumber
            || char.IsLowSurrogate(text[index]) && index > 0 && IsWordCharacter(text, index - 1);
    }

    private static bool IsPartBreak(string text, int index) => text[index] switch
    {
        PartBreak or ';' or '/' or '\\' or '|' or '(' or ')' or '[' or ']' or '{' or '}' or '<' or '>' or ':' or '&' or '+'
            or '·' or '•' or '、' or '，' or '；' or '\n' or '\r' or '\t' => true,
        // A dash between spaces separates parts ("Berlin - Germany"); inside a word it is a space ("Baden-Baden").
        '-' or '–' or '—' => (index == 0 || char.IsWhiteSpace(text[index - 1])) && (index == text.Length - 1 || char.IsWhiteSpace(text[index + 1]))
            || text[index] != '-',
        _ => false,
    };
}
