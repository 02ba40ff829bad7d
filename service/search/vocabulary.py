"""Abbreviations and their canonical words. The index stores canonical words only; a query word
may stand for several ("st" is Street or Saint), and the data decides which."""

from __future__ import annotations

# canonical word -> the ways people abbreviate it
_ABBREVIATED: dict[str, tuple[str, ...]] = {
    "road": ("rd",),
    "street": ("st", "str"),
    "saint": ("st",),
    "avenue": ("ave", "av", "avn", "avnue"),
    "close": ("cl", "cls"),
    "crescent": ("cres", "cresc", "cr", "crs"),
    "gardens": ("gdns", "gdn", "gards"),
    "court": ("ct", "crt"),
    "drive": ("dr", "drv"),
    "lane": ("ln",),
    "place": ("pl",),
    "square": ("sq", "sqr"),
    "terrace": ("terr", "ter", "tce", "trce"),
    "grove": ("gr", "gro", "grv"),
    "park": ("pk",),
    "way": ("wy",),
    "walk": ("wk", "wlk"),
    "mews": ("mws",),
    "parade": ("pde", "prde"),
    "hill": ("hl",),
    "green": ("grn",),
    "heights": ("hts",),
    "meadows": ("mdws",),
    "meadow": ("mdw",),
    "view": ("vw",),
    "yard": ("yd",),
    "boulevard": ("blvd", "bvd"),
    "approach": ("app", "appr"),
    "broadway": ("bdwy",),
    "causeway": ("cswy",),
    "corner": ("cnr",),
    "cottage": ("cott", "cotts"),
    "cottages": ("cotts",),
    "estate": ("est",),
    "industrial": ("ind",),
    "business": ("bus",),
    "centre": ("ctr", "cntr", "center"),
    "farm": ("fm",),
    "house": ("hse", "ho"),
    "building": ("bldg", "bldgs"),
    "buildings": ("bldgs",),
    "apartment": ("apt", "apmt", "apartments", "appt"),
    "flat": ("flt",),
    "floor": ("flr",),
    "north": ("nth",),
    "south": ("sth",),
    "east": ("est",),
    "upper": ("upr",),
    "lower": ("lwr",),
    "great": ("gt",),
    "little": ("lt", "ltl"),
    "mount": ("mt",),
    "villas": ("vls",),
    "wharf": ("whf",),
    "passage": ("pass", "psge"),
    "promenade": ("prom",),
    "esplanade": ("esp",),
    "limited": ("ltd",),
    "public": ("pub",),
    "the": ("th",),
}

# The words that end a street name ("St" at the end of one is Street, elsewhere Saint).
_STREET_TYPE_WORDS = """
road street avenue close crescent gardens court drive lane place square terrace grove park way
walk mews parade hill green row rise vale view gate yard wharf passage approach boulevard
broadway causeway circus end fields heights meadows orchard path promenade esplanade quay villas
wynd chase croft dene glade hollow mead ride side spur trees wood market
"""
STREET_TYPES = frozenset(_STREET_TYPE_WORDS.split())

# Words that say the next number or letter is a flat, unit or other sub-building.
_SUB_BUILDING_WORDS = """
flat flt apartment apt apartments unit suite room studio maisonette annexe block floor office
shop bedsit no
"""
SUB_BUILDING_WORDS = frozenset(_SUB_BUILDING_WORDS.split())

QUERY_ALTERNATIVES: dict[str, tuple[str, ...]] = {}
for _canonical, _abbreviations in _ABBREVIATED.items():
    for _abbreviation in _abbreviations:
        QUERY_ALTERNATIVES.setdefault(_abbreviation, ())
        QUERY_ALTERNATIVES[_abbreviation] += (_canonical,)
# Some abbreviations are also words in their own right (EAST, PASS, BUS, THE ...): a query
# word matches itself as well as what it may abbreviate.
_INDEX_EXPANSIONS = {
    abbreviation: canonicals[0]
    for abbreviation, canonicals in QUERY_ALTERNATIVES.items()
    if len(canonicals) == 1 and abbreviation not in {"est", "pass", "bus", "pub", "ho", "th"}
}


def query_alternatives(word: str) -> tuple[str, ...]:
    """The canonical words a query word may stand for, itself first."""
    expansions = QUERY_ALTERNATIVES.get(word, ())
    return (word, *(e for e in expansions if e != word))


def canonical_field_words(field_words: list[str]) -> list[str]:
    """Canonical words of one address field (a street, a building name...): abbreviations in
    the data expanded, and 'st' read as Street at the end of the field, Saint elsewhere."""
    last = len(field_words) - 1
    canonical = []
    for position, word in enumerate(field_words):
        if word == "st":
            canonical.append("street" if position == last and position > 0 else "saint")
        else:
            canonical.append(_INDEX_EXPANSIONS.get(word, word))
    return canonical
