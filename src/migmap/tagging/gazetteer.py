"""Countries mentioned in a text: ISO 3166-1 alpha-3 codes from names, common names and demonyms.

Names come from pycountry (official, common and short names) plus a hand-made list of
common English names, abbreviations and demonyms. Matching is case-sensitive (country
names are capitalised in English), longest name first, on whole words (a dictionary
look-up per capitalised word n-gram)::

    >>> from migmap.tagging.gazetteer import find_countries
    >>> find_countries("Syrian refugees in Türkiye and Venezuelans in Colombia")
    ['SYR', 'TUR', 'VEN', 'COL']
    >>> find_countries("Rohingya refugees in Cox's Bazar, Bangladesh")
    ['MMR', 'BGD']

Each hit keeps the words that matched (:func:`country_mentions`), used as evidence.
"""

from __future__ import annotations

import re
from functools import lru_cache

import pycountry

__all__ = ["find_countries", "country_mentions", "country_names"]

#: Common names, abbreviations and demonyms -> alpha-3. Demonyms that are also ordinary
#: words or ambiguous (e.g. "Guinean", "Congolese") map to the most common reading.
EXTRA_NAMES: dict[str, str] = {
    # common names and abbreviations not in pycountry's fields
    "United States": "USA",
    "United States of America": "USA",
    "U.S.": "USA",
    "US": "USA",
    "USA": "USA",
    "America": "USA",
    "United Kingdom": "GBR",
    "UK": "GBR",
    "U.K.": "GBR",
    "Britain": "GBR",
    "Great Britain": "GBR",
    "England": "GBR",
    "Scotland": "GBR",
    "Wales": "GBR",
    "UAE": "ARE",
    "Emirates": "ARE",
    "Dubai": "ARE",
    "Abu Dhabi": "ARE",
    "Russia": "RUS",
    "Iran": "IRN",
    "Syria": "SYR",
    "Turkey": "TUR",
    "Türkiye": "TUR",
    "Turkiye": "TUR",
    "South Korea": "KOR",
    "Korea": "KOR",
    "North Korea": "PRK",
    "Vietnam": "VNM",
    "Viet Nam": "VNM",
    "Laos": "LAO",
    "Bolivia": "BOL",
    "Venezuela": "VEN",
    "Tanzania": "TZA",
    "Moldova": "MDA",
    "Palestine": "PSE",
    "Gaza": "PSE",
    "West Bank": "PSE",
    "Czech Republic": "CZE",
    "Czechia": "CZE",
    "Ivory Coast": "CIV",
    "Côte d'Ivoire": "CIV",
    "Cote d'Ivoire": "CIV",
    "Democratic Republic of the Congo": "COD",
    "DR Congo": "COD",
    "DRC": "COD",
    "Republic of the Congo": "COG",
    "Cape Verde": "CPV",
    "Cabo Verde": "CPV",
    "Swaziland": "SWZ",
    "Eswatini": "SWZ",
    "Burma": "MMR",
    "Myanmar": "MMR",
    "Kosovo": "XKX",
    "Macedonia": "MKD",
    "North Macedonia": "MKD",
    "Holland": "NLD",
    "The Netherlands": "NLD",
    "Taiwan": "TWN",
    "Hong Kong": "HKG",
    "Micronesia": "FSM",
    "Brunei": "BRN",
    "East Timor": "TLS",
    "Timor-Leste": "TLS",
    "Vatican": "VAT",
    "Sao Tome": "STP",
    "Gambia": "GMB",
    "The Gambia": "GMB",
    "Bahamas": "BHS",
    # demonyms and peoples
    "Afghan": "AFG",
    "Afghans": "AFG",
    "Albanian": "ALB",
    "Albanians": "ALB",
    "Algerian": "DZA",
    "Algerians": "DZA",
    "Angolan": "AGO",
    "Argentine": "ARG",
    "Argentinian": "ARG",
    "Armenian": "ARM",
    "Armenians": "ARM",
    "Australian": "AUS",
    "Austrian": "AUT",
    "Bangladeshi": "BGD",
    "Bangladeshis": "BGD",
    "Belgian": "BEL",
    "Beninese": "BEN",
    "Bolivian": "BOL",
    "Bosnian": "BIH",
    "Brazilian": "BRA",
    "Brazilians": "BRA",
    "Burkinabe": "BFA",
    "Burkinabè": "BFA",
    "Burundian": "BDI",
    "Burundians": "BDI",
    "Cambodian": "KHM",
    "Cameroonian": "CMR",
    "Cameroonians": "CMR",
    "Canadian": "CAN",
    "Chadian": "TCD",
    "Chilean": "CHL",
    "Chinese": "CHN",
    "Colombian": "COL",
    "Colombians": "COL",
    "Congolese": "COD",
    "Costa Rican": "CRI",
    "Cuban": "CUB",
    "Cubans": "CUB",
    "Danish": "DNK",
    "Dominican": "DOM",
    "Dutch": "NLD",
    "Ecuadorian": "ECU",
    "Ecuadorians": "ECU",
    "Egyptian": "EGY",
    "Egyptians": "EGY",
    "Eritrean": "ERI",
    "Eritreans": "ERI",
    "Ethiopian": "ETH",
    "Ethiopians": "ETH",
    "Filipino": "PHL",
    "Filipinos": "PHL",
    "Filipina": "PHL",
    "Filipinas": "PHL",
    "Finnish": "FIN",
    "French": "FRA",
    "Gambian": "GMB",
    "Gambians": "GMB",
    "German": "DEU",
    "Germans": "DEU",
    "Ghanaian": "GHA",
    "Ghanaians": "GHA",
    "Greek": "GRC",
    "Guatemalan": "GTM",
    "Guatemalans": "GTM",
    "Guinean": "GIN",
    "Guineans": "GIN",
    "Haitian": "HTI",
    "Haitians": "HTI",
    "Honduran": "HND",
    "Hondurans": "HND",
    "Hungarian": "HUN",
    "Indian": "IND",
    "Indians": "IND",
    "Indonesian": "IDN",
    "Indonesians": "IDN",
    "Iranian": "IRN",
    "Iranians": "IRN",
    "Iraqi": "IRQ",
    "Iraqis": "IRQ",
    "Irish": "IRL",
    "Israeli": "ISR",
    "Italian": "ITA",
    "Ivorian": "CIV",
    "Ivorians": "CIV",
    "Jamaican": "JAM",
    "Japanese": "JPN",
    "Jordanian": "JOR",
    "Jordanians": "JOR",
    "Kazakh": "KAZ",
    "Kenyan": "KEN",
    "Kenyans": "KEN",
    "Kosovar": "XKX",
    "Kurdish": "IRQ",
    "Kyrgyz": "KGZ",
    "Lebanese": "LBN",
    "Liberian": "LBR",
    "Libyan": "LBY",
    "Libyans": "LBY",
    "Malagasy": "MDG",
    "Malawian": "MWI",
    "Malaysian": "MYS",
    "Malian": "MLI",
    "Malians": "MLI",
    "Mauritanian": "MRT",
    "Mexican": "MEX",
    "Mexicans": "MEX",
    "Moldovan": "MDA",
    "Moroccan": "MAR",
    "Moroccans": "MAR",
    "Mozambican": "MOZ",
    "Burmese": "MMR",
    "Rohingya": "MMR",
    "Nepali": "NPL",
    "Nepalese": "NPL",
    "Nicaraguan": "NIC",
    "Nicaraguans": "NIC",
    "Nigerian": "NGA",
    "Nigerians": "NGA",
    "Nigerien": "NER",
    "Norwegian": "NOR",
    "Pakistani": "PAK",
    "Pakistanis": "PAK",
    "Palestinian": "PSE",
    "Palestinians": "PSE",
    "Peruvian": "PER",
    "Polish": "POL",
    "Portuguese": "PRT",
    "Qatari": "QAT",
    "Romanian": "ROU",
    "Romanians": "ROU",
    "Russian": "RUS",
    "Russians": "RUS",
    "Rwandan": "RWA",
    "Rwandans": "RWA",
    "Salvadoran": "SLV",
    "Salvadorans": "SLV",
    "Salvadorean": "SLV",
    "Saudi": "SAU",
    "Senegalese": "SEN",
    "Serbian": "SRB",
    "Sierra Leonean": "SLE",
    "Somali": "SOM",
    "Somalis": "SOM",
    "South African": "ZAF",
    "South Sudanese": "SSD",
    "Spanish": "ESP",
    "Sri Lankan": "LKA",
    "Sri Lankans": "LKA",
    "Sudanese": "SDN",
    "Swedish": "SWE",
    "Swiss": "CHE",
    "Syrian": "SYR",
    "Syrians": "SYR",
    "Tajik": "TJK",
    "Tanzanian": "TZA",
    "Thai": "THA",
    "Tunisian": "TUN",
    "Tunisians": "TUN",
    "Turkish": "TUR",
    "Ugandan": "UGA",
    "Ugandans": "UGA",
    "Ukrainian": "UKR",
    "Ukrainians": "UKR",
    "Uzbek": "UZB",
    "Venezuelan": "VEN",
    "Venezuelans": "VEN",
    "Vietnamese": "VNM",
    "Yemeni": "YEM",
    "Yemenis": "YEM",
    "Zambian": "ZMB",
    "Zimbabwean": "ZWE",
    "Zimbabweans": "ZWE",
    "Emirati": "ARE",
    "Kuwaiti": "KWT",
    "Omani": "OMN",
    "Bahraini": "BHR",
}

#: Names that are also common words or people's names in English texts: never matched alone.
AMBIGUOUS = {"Chad", "Jordan", "Georgia", "Niger", "Guinea", "Turkey", "Dominica", "Jersey", "Man", "Congo", "America", "Wales"}
#: ...except in these phrases (a capitalised word after or before them makes them safe).
SAFE_CONTEXT = re.compile(r"\b(?:in|to|from|of|across|and|between|into|via|within|for)\s+$")


@lru_cache(maxsize=1)
def country_names() -> dict[str, str]:
    """Every name the gazetteer knows, mapped to its ISO alpha-3 code."""
    names: dict[str, str] = {}
    for c in pycountry.countries:
        for attr in ("name", "common_name", "official_name"):
            value = getattr(c, attr, None)
            if value:
                names[value] = c.alpha_3
                if "," in value:  # "Korea, Republic of" is never written that way in prose
                    names.pop(value)
    names.update(EXTRA_NAMES)
    return names


_TOKEN = re.compile(r"\w+(?:[-'’.]\w+)*\.?")


@lru_cache(maxsize=1)
def _index() -> tuple[dict[tuple[str, ...], str], int, frozenset[str]]:
    """Name as a tuple of tokens -> its name; the longest name in tokens; first tokens."""
    index = {tuple(_TOKEN.findall(name)): name for name in country_names()}
    index.pop((), None)
    return index, max(len(k) for k in index), frozenset(k[0] for k in index)


def country_mentions(text: str) -> dict[str, list[str]]:
    """Alpha-3 code -> the words that named it, in order of first mention.

    >>> country_mentions("Jordan hosts Syrians; Jordan is in the Middle East")
    {'SYR': ['Syrians']}
    >>> country_mentions("refugees in Jordan")
    {'JOR': ['Jordan']}
    """
    index, longest, firsts = _index()
    names = country_names()
    matches = list(_TOKEN.finditer(text))
    tokens = [m.group(0) for m in matches]
    found: dict[str, list[str]] = {}
    n, i = len(tokens), 0
    while i < n:
        tok = tokens[i]
        if not tok[:1].isupper() or (tok not in firsts and tok.rstrip(".") not in firsts):
            i += 1
            continue
        hit = None
        for k in range(min(longest, n - i), 0, -1):
            key = tuple(tokens[i : i + k])
            name = index.get(key)
            if name is None and key[-1].endswith("."):
                name = index.get((*key[:-1], key[-1][:-1]))
            if name is not None:
                hit = (name, k)
                break
        if hit is None:
            i += 1
            continue
        name, k = hit
        start = matches[i].start()
        if name in AMBIGUOUS and not SAFE_CONTEXT.search(text[max(0, start - 12) : start]):
            i += k
            continue
        hits = found.setdefault(names[name], [])
        if name not in hits:
            hits.append(name)
        i += k
    return found


def find_countries(text: str) -> list[str]:
    """The alpha-3 codes of the countries a text mentions, in order of first mention."""
    return list(country_mentions(text))
