"""Text folding and tokenising for place names as witnesses give them.

Place names reach uncounted in Hangul (Northern and Southern spellings),
McCune–Reischauer with or without its breves and apostrophes, the DPRK's own
variant of it (``Phyongyang``, ``Manpho``), Revised Romanization and loose
English. Two keys make those meet:

* the **folded key**: lower case, apostrophes and diacritics removed except
  MR's breves, no spaces or hyphens (``P'yŏngan-namdo`` -> ``pyŏngannamdo``);
  Hangul is kept as written (only composed to syllables). The breves are kept
  because they tell names apart (Ŭnsan 은산, Unsan 운산); :func:`plain` drops
  them, and names are indexed under both keys, so text typed without breves
  still matches;
* the **loose key**, a fallback for romanisations that differ by system
  rather than by name: voiced and voiceless stops merged (g/k, d/t, b/p,
  j/ch), the DPRK's ``ph th kh`` read as aspirates, ``l`` read as ``r``,
  RR's ``eo``/``eu`` read as MR's ``ŏ``/``ŭ`` (so ``Hoeryeong`` meets
  ``Hoeryong``), doubled letters collapsed.

The vocabularies below (administrative suffixes, qualifiers such as "near",
particles, markers of units below the county level) are the words the
resolver may consume without treating them as unknown.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

__all__ = [
    "HANGUL_PARTICLES",
    "HANGUL_SUFFIXES",
    "IGNORED_WORDS",
    "LATIN_SUFFIXES",
    "QUALIFIER_WORDS",
    "SITE_WORDS",
    "SUBUNIT_MARKERS",
    "fold",
    "is_hangul",
    "loose_key",
    "name_keys",
    "plain",
    "suffix_kinds",
    "tokens",
]

# Marks that stand for an aspirate or a syllable break in MR, or a breve typed
# on its own; they carry no letter, so they are dropped rather than split on.
_DROPPED_MARKS = frozenset("'’‘`´ʼʻ′ˈ\u02d8\u0306\u02bc\u02bb\u2032\u00b4")

_HANGUL_FIRST, _HANGUL_LAST = 0xAC00, 0xD7A3
_BREVE_VOWELS = frozenset("ŏŭ")
_PLAIN = str.maketrans({"ŏ": "o", "ŭ": "u"})

# Administrative suffixes and the kinds of unit each may follow; a suffix that
# contradicts a unit's kind is still accepted for a whole word, but not when it
# is glued to a shorter name (``신도시`` is a "new town", not Sindo county).
_CITY = frozenset({"city", "special_city", "directly_governed_city"})
_COUNTY = frozenset({"county"})
_DISTRICT = frozenset({"district"})
_PROVINCE = frozenset({"province", "special_city", "directly_governed_city"})
_AREA = frozenset({"area", "special_zone"})

LATIN_SUFFIXES: dict[str, frozenset[str]] = {
    "si": _CITY,
    "shi": _CITY,
    "city": _CITY,
    "gun": _COUNTY,
    "kun": _COUNTY,
    "county": _COUNTY,
    "guyok": _DISTRICT,
    "kuyok": _DISTRICT,
    "guyeok": _DISTRICT,
    "gu": _DISTRICT,
    "ku": _DISTRICT,
    "district": _DISTRICT,
    "ward": _DISTRICT,
    "do": _PROVINCE,
    "province": _PROVINCE,
    "prov": _PROVINCE,
    "chigu": _AREA,
    "jigu": _AREA,
}

HANGUL_SUFFIXES: dict[str, frozenset[str]] = {
    "직할시": _CITY,
    "특별시": _CITY,
    "시": _CITY,
    "군": _COUNTY,
    "구역": _DISTRICT,
    "구": _DISTRICT,
    "도": _PROVINCE,
    "지구": _AREA,
}

# Words that say the place is approximate; kept as a warning, never an error.
QUALIFIER_WORDS = frozenset(
    {
        "near",
        "nearby",
        "around",
        "outside",
        "outskirts",
        "vicinity",
        "close",
        "about",
        "approximately",
        "근처",
        "부근",
        "인근",
        "일대",
        "외곽",
        "근방",
        "주변",
    }
)

# Words that carry no place: English function words, the country, compass
# words left over once "North Hamgyong" has been read, and administrative
# words that only describe a unit's status.
IGNORED_WORDS = frozenset(
    {
        "somewhere",
        "in",
        "at",
        "of",
        "the",
        "a",
        "an",
        "and",
        "or",
        "to",
        "from",
        "by",
        "on",
        "area",
        "region",
        "part",
        "north",
        "south",
        "east",
        "west",
        "northern",
        "southern",
        "eastern",
        "western",
        "korea",
        "dprk",
        "nk",
        "prk",
        "kp",
        "directly",
        "governed",
        "special",
        "capital",
        "metropolitan",
        "municipality",
        "unknown",
        "unsure",
        "maybe",
        "possibly",
        "probably",
        "formerly",
        "former",
        "old",
        "sar",
        "downtown",
        "center",
        "centre",
        "central",
        "북한",
        "조선",
        "북조선",
        "지역",
        "어딘가",
        "어디",
        "시내",
        "읍내",
        "아마",
        "쪽",
    }
)

# Sites within a place where public executions were held or people were
# detained; kept as told ("Hyesan airfield", "혜산비행장"), never resolved.
SITE_WORDS = frozenset(
    {
        "market",
        "marketplace",
        "coal",
        "execution",
        "public",
        "detention",
        "labour",
        "labor",
        "jangmadang",
        "stadium",
        "airfield",
        "airport",
        "riverbank",
        "riverside",
        "river",
        "bridge",
        "station",
        "school",
        "mine",
        "camp",
        "prison",
        "square",
        "hill",
        "factory",
        "farm",
        "field",
        "ground",
        "grounds",
        "beach",
        "park",
        "장마당",
        "시장",
        "경기장",
        "운동장",
        "공설운동장",
        "비행장",
        "강변",
        "강가",
        "강둑",
        "다리",
        "역전",
        "역",
        "학교",
        "탄광",
        "광산",
        "교화소",
        "수용소",
        "관리소",
        "집결소",
        "노동단련대",
        "로동단련대",
        "광장",
        "공장",
        "농장",
        "협동농장",
        "야산",
        "산기슭",
        "처형장",
        "사형장",
    }
)

# Korean particles that may be glued to a place name ("회령에서", "혜산의").
HANGUL_PARTICLES = ("에서는", "에서", "으로", "에는", "에", "의", "로", "은", "는", "쪽")

# Words marking a unit below the county level (town, neighbourhood, village).
SUBUNIT_MARKERS = frozenset(
    {
        "dong",
        "ri",
        "ni",
        "up",
        "eup",
        "town",
        "village",
        "rodongjagu",
        "nodongjagu",
        "workers",
        "neighbourhood",
        "neighborhood",
    }
)
HANGUL_SUBUNIT_ENDINGS = ("로동자구", "노동자구", "마을", "동", "리", "읍")

_TOKEN = re.compile(r"[가-힣]+|[^\W_가-힣]+")


def is_hangul(text: str) -> bool:
    """True when every character of ``text`` is a composed Hangul syllable."""
    return bool(text) and all(_HANGUL_FIRST <= ord(c) <= _HANGUL_LAST for c in text)


@lru_cache(maxsize=65536)
def fold(text: str) -> str:
    """Lower-case ``text`` and strip apostrophes and diacritics but MR's breves.

    Separators (spaces, hyphens, punctuation) are kept; :func:`tokens` splits
    on them. Hangul syllables are left composed: decomposing them would make
    every Hangul key a string of jamo.
    """
    out: list[str] = []
    for ch in unicodedata.normalize("NFC", text).lower():
        if _HANGUL_FIRST <= ord(ch) <= _HANGUL_LAST or ch in _BREVE_VOWELS:
            out.append(ch)
        elif ch in _DROPPED_MARKS:
            continue
        else:
            decomposed = unicodedata.normalize("NFKD", ch)
            out.append("".join(c for c in decomposed if not unicodedata.combining(c)))
    return "".join(out)


def plain(key: str) -> str:
    """A folded key without MR's breves (``ŭnsan`` -> ``unsan``)."""
    return key.translate(_PLAIN)


def tokens(text: str) -> list[str]:
    """Split folded text into words, Hangul and other scripts apart."""
    return _TOKEN.findall(fold(text))


# Applied in order: aspirates spelled with h first (so that the DPRK's "ph"
# does not survive as p + h), then RR's vowels, then the voicing merges.
_LOOSE_STEPS: tuple[tuple[str, str], ...] = (
    ("tch", "ch"),
    ("ph", "p"),
    ("th", "t"),
    ("kh", "k"),
    ("sh", "s"),
    ("eo", "o"),
    ("eu", "u"),
    ("ch", "c"),
    ("j", "c"),
    ("g", "k"),
    ("d", "t"),
    ("b", "p"),
    ("l", "r"),
)


@lru_cache(maxsize=65536)
def loose_key(key: str) -> str:
    """The loose key of a folded key (see the module docstring).

    Hangul keys are returned unchanged: spelling variation in Hangul is
    handled by explicit aliases (``량강``/``양강``), not by rules.
    """
    if not key or is_hangul(key):
        return key
    out = plain(key)
    for old, new in _LOOSE_STEPS:
        out = out.replace(old, new)
    collapsed: list[str] = []
    for ch in out:
        if not collapsed or collapsed[-1] != ch:
            collapsed.append(ch)
    return "".join(collapsed)


def suffix_kinds(word: str) -> frozenset[str] | None:
    """The unit kinds an administrative suffix word may follow, or None."""
    found = LATIN_SUFFIXES.get(plain(word))
    if found is None:
        found = HANGUL_SUFFIXES.get(word)
    return found


def name_keys(name: str) -> set[str]:
    """Folded keys under which a gazetteer name is indexed.

    The whole name without separators, and, when the name ends in an
    administrative suffix (``Hoeryŏng-si``, ``회령시``, ``Chagang-do``), the
    name without it; each with and without MR's breves. A Hangul suffix is
    only removed when something is left.
    """
    words = tokens(name)
    if not words:
        return set()
    keys = {"".join(words)}
    if len(words) > 1 and plain(words[-1]) in LATIN_SUFFIXES:
        keys.add("".join(words[:-1]))
    keys |= {plain(k) for k in keys}
    if len(words) == 1 and is_hangul(words[0]):
        for suffix in sorted(HANGUL_SUFFIXES, key=len, reverse=True):
            stem = words[0][: -len(suffix)]
            if words[0].endswith(suffix) and stem:
                keys.add(stem)
                break
    return keys
