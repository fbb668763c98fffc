using System.Globalization;
using System.Net;
using System.Text.Json;
using GithubEvents.ServiceDefaults;
using Microsoft.Extensions.Options;

namespace GithubEvents.Enrich.Geocoding;

/// <summary>
/// One <c>/search?q=...&amp;format=jsonv2&amp;addressdetails=1&amp;limit=1</c> request to Nominatim, and the judgement
/// of its match: a match must cover at least half of the query's words with its name and address, or be important
/// (<c>Geocoding:MinImportance</c>), so that "Southern University of Science and Technology" does not become a
/// village in Kenya.
/// </summary>
public sealed class NominatimClient(IHttpClientFactory httpClients, Gazetteer gazetteer, IOptions<GeocodingOptions> options, TimeProvider time)
{
    public const string HttpClientName = "nominatim";

    // Words that say nothing of a place, left out when comparing a query with a match.
    private static readonly HashSet<string> FillerWords = ["the", "of", "and", "in", "at", "de", "la", "le", "du", "der", "die", "das", "von", "del", "da", "do"];

    public async Task<NominatimReply> SearchAsync(string location, string key, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var query = location.Trim();
        using var request = new HttpRequestMessage(HttpMethod.Get,
            $"search?q={Uri.EscapeDataString(query.Length > 255 ? query[..255] : query)}&format=jsonv2&addressdetails=1&limit=1");
        request.Headers.TryAddWithoutValidation("User-Agent", settings.UserAgent);
        // English names, so that a match can be compared with what people write.
        request.Headers.TryAddWithoutValidation("Accept-Language", "en");

        var http = httpClients.CreateClient(HttpClientName);
        HttpResponseMessage response;
        try
        {
            response = await http.SendAsync(request, cancellationToken);
        }
        catch (Exception ex) when (ex is HttpRequestException || ex is TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            return new NominatimReply("failed", null, NominatimTrouble.Failed);
        }

        using (response)
        {
            var retryAfter = Retries.RetryAfter(response, time);
            if ((int)response.StatusCode >= 500)
            {
                return new NominatimReply("server_error", null, NominatimTrouble.Failed, retryAfter);
            }

            if (response.Content.Headers.ContentType?.MediaType is not "application/json")
            {
                return new NominatimReply("blocked", null, NominatimTrouble.Overloaded, retryAfter);
            }

            if (response.StatusCode == HttpStatusCode.TooManyRequests)
            {
                return new NominatimReply("rate_limited", null, NominatimTrouble.Overloaded, retryAfter);
            }

            if (!response.IsSuccessStatusCode)
            {
                return new NominatimReply("rejected", null, NominatimTrouble.Query);
            }

            try
            {
                await using var body = await response.Content.ReadAsStreamAsync(cancellationToken);
                using var json = await JsonDocument.ParseAsync(body, cancellationToken: cancellationToken);
                return Judge(json.RootElement, key);
            }
            catch (Exception ex) when (ex is JsonException or InvalidOperationException or FormatException or KeyNotFoundException)
            {
                return new NominatimReply("unreadable", null, NominatimTrouble.Failed, retryAfter);
            }
        }
    }

    private NominatimReply Judge(JsonElement results, string key)
    {
        if (results.GetArrayLength() == 0)
        {
            return new NominatimReply("empty", null);
        }

        var match = results[0];
        if (!match.TryGetProperty("address", out var address) || !address.TryGetProperty("country_code", out var code) || code.GetString() is not { Length: 2 } countryCode)
        {
            return new NominatimReply("empty", null); // a match outside any country (the sea, Antarctica)
        }

        var importance = match.TryGetProperty("importance", out var value) && value.ValueKind == JsonValueKind.Number ? value.GetDouble() : 0;
        var described = Words(string.Join(", ", match.GetProperty("display_name").GetString(), match.TryGetProperty("name", out var name) ? name.GetString() : null));
        var asked = Words(key);
        var covered = asked.Count == 0 ? 1 : (double)asked.Count(described.Contains) / asked.Count;
        if (covered < 0.5 && importance < options.Value.MinImportance)
        {
            return new NominatimReply("implausible", null);
        }

        countryCode = countryCode.ToUpperInvariant();
        var country = gazetteer.CountryName(countryCode) ?? (address.TryGetProperty("country", out var named) ? named.GetString() : null) ?? countryCode;
        return new NominatimReply("found", new Place(country, countryCode,
            double.Parse(match.GetProperty("lat").GetString()!, CultureInfo.InvariantCulture),
            double.Parse(match.GetProperty("lon").GetString()!, CultureInfo.InvariantCulture)));
    }

    private static HashSet<string> Words(string text) =>
        LocationKey.Normalize(text) is { } key
            ? LocationKey.Fold(key).Split([' ', ','], StringSplitOptions.RemoveEmptyEntries).Where(word => !FillerWords.Contains(word)).ToHashSet()
            : [];
}
