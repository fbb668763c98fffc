using GithubEvents.Enrich.Geocoding;

namespace GithubEvents.Tests.Geocoding;

public sealed class LocationKeyTests
{
    [Theory]
    [InlineData("  San Francisco,   CA ", "san francisco, ca")]
    [InlineData("SAN FRANCISCO , ca", "san francisco, ca")]
    [InlineData("Berlin - Germany", "berlin, germany")]
    [InlineData("Berlin/Germany", "berlin, germany")]
    [InlineData("Remote (Berlin)", "remote, berlin")]
    [InlineData("Baden-Württemberg", "baden württemberg")]
    [InlineData("U.S.A.", "usa")]
    [InlineData("Washington, D.C.", "washington, dc")]
    [InlineData("St. Louis, MO", "st louis, mo")]
    [InlineData("Xi'an", "xian")]
    [InlineData("Earth 🌍", "earth")]
    [InlineData("ＴＯＫＹＯ", "tokyo")]
    [InlineData("北京", "北京")]
    [InlineData("Москва,,  Россия", "москва, россия")]
    public void Keys_are_case_folded_with_white_space_and_punctuation_collapsed(string location, string key) =>
        Assert.Equal(key, LocationKey.Normalize(location));

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("🌍🚀")]
    [InlineData("... ,, --")]
    public void Nothing_left_is_no_key(string? location) => Assert.Null(LocationKey.Normalize(location));

    [Theory]
    [InlineData("são paulo", "sao paulo")]
    [InlineData("zürich", "zurich")]
    [InlineData("kraków", "krakow")]
    [InlineData("straße", "strasse")]
    [InlineData("नई दिल्ली", "नई दिल्ली")]
    public void Folding_drops_the_accents_of_Latin_letters_only(string key, string folded) =>
        Assert.Equal(folded, LocationKey.Fold(key));
}
