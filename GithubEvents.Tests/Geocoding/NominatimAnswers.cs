namespace GithubEvents.Tests.Geocoding;

/// <summary>
/// Nominatim <c>format=jsonv2&amp;addressdetails=1</c> matches in the shape of the recorded one
/// (shared/fixtures/upstream/nominatim-responses/linecast_nominatim_search_jsonv2.json), for queries the recordings lack.
/// </summary>
internal static class NominatimAnswers
{
    /// <summary>What Nominatim gives for a long institution's name it cannot find: a hamlet that shares one word.</summary>
    public const string KenyanVillage = """
        [{"place_id":250000001,"licence":"Data © OpenStreetMap contributors, ODbL 1.0. http://osm.org/copyright","osm_type":"node",
          "osm_id":4012345678,"lat":"-0.5123400","lon":"37.4567800","category":"place","type":"hamlet","place_rank":20,
          "importance":0.10667666666666664,"addresstype":"hamlet","name":"Southern",
          "display_name":"Southern, Kirinyaga, Central Kenya, Kenya",
          "address":{"hamlet":"Southern","county":"Kirinyaga","state":"Central Kenya","ISO3166-2-lvl4":"KE-15","country":"Kenya","country_code":"ke"},
          "boundingbox":["-0.5323400","-0.4923400","37.4367800","37.4767800"]}]
        """;

    public const string TsinghuaUniversity = """
        [{"place_id":229474573,"licence":"Data © OpenStreetMap contributors, ODbL 1.0. http://osm.org/copyright","osm_type":"way",
          "osm_id":24760396,"lat":"40.0000000","lon":"116.3264000","category":"amenity","type":"university","place_rank":30,
          "importance":0.5834000000000001,"addresstype":"amenity","name":"Tsinghua University",
          "display_name":"Tsinghua University, Shuangqing Road, Haidian District, Beijing, 100084, China",
          "address":{"amenity":"Tsinghua University","road":"Shuangqing Road","city_district":"Haidian District","city":"Beijing",
          "ISO3166-2-lvl4":"CN-BJ","postcode":"100084","country":"China","country_code":"cn"},
          "boundingbox":["39.9960000","40.0040000","116.3160000","116.3340000"]}]
        """;
}
