using GithubEvents.Enrich.Geocoding;

namespace GithubEvents.Tests.Geocoding;

public sealed class GazetteerTests
{
    private static readonly Gazetteer Gazetteer = Gazetteer.Load();

    [Theory]
    [InlineData("San Francisco, CA", "US")]
    [InlineData("Toronto, CA", "CA")]
    [InlineData("Berlin, DE", "DE")]
    [InlineData("Dover, Delaware", "US")]
    [InlineData("Indianapolis, IN", "US")]
    [InlineData("Bangalore, IN", "IN")]
    [InlineData("Atlanta, Georgia", "US")]
    [InlineData("Tbilisi, Georgia", "GE")]
    [InlineData("London, Ontario", "CA")]
    [InlineData("Paris, Texas", "US")]
    [InlineData("Berlin Germany", "DE")]
    [InlineData("New York NY 10001", "US")]
    [InlineData("Remote - Lisbon", "PT")]
    [InlineData("Some Small Village, Germany", "DE")]
    public void Parts_that_qualify_each_other_decide_the_country(string location, string country) =>
        Assert.Equal(country, Resolve(location).Place?.CountryCode);

    [Theory]
    [InlineData("CA")] // Canada or California
    [InlineData("DE")] // Germany or Delaware: a code alone is never enough
    [InlineData("Georgia")] // the country or the state
    [InlineData("Cambridge")] // England, Massachusetts, Ontario
    [InlineData("Valencia")] // Spain or Venezuela
    [InlineData("Reading")] // a word first
    [InlineData("Berlin, Germany, USA")] // a contradiction
    [InlineData("Southern University of Science and Technology")]
    public void Ambiguous_or_unknown_strings_are_left_to_Nominatim(string location) =>
        Assert.Equal(GazetteerAnswer.Unknown, Resolve(location));

    [Theory]
    [InlineData("Remote")]
    [InlineData("Planet Earth")]
    [InlineData("localhost")]
    [InlineData("127.0.0.1")]
    [InlineData("Internet")]
    [InlineData("https://example.com")]
    [InlineData("www.example.org")]
    [InlineData("Europe")]
    [InlineData("Remote, Earth")]
    public void Strings_that_are_no_place_get_a_negative_answer(string location) =>
        Assert.Equal(GazetteerAnswer.NoLocation, Resolve(location));

    [Fact]
    public void A_city_gets_its_own_point_and_a_country_alone_a_point_inside_it()
    {
        var munich = Resolve("Munich").Place!;
        var germany = Resolve("Germany").Place!;

        Assert.Equal(("Germany", "DE"), (munich.Country, munich.CountryCode));
        Assert.Equal(48.14, munich.Latitude, 0.01);
        Assert.Equal(11.58, munich.Longitude, 0.01);
        Assert.InRange(germany.Latitude, 47.3, 55.1);
        Assert.InRange(germany.Longitude, 5.9, 15.0);
    }

    private static GazetteerAnswer Resolve(string location) => Gazetteer.Resolve(LocationKey.Normalize(location)!);
}
