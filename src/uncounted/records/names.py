"""Korean personal names as told: parse them and give match keys.

The same person appears as *Jang Song-thaek*, *Jang Seong-taek*, *Chang Sŏng-t'aek* and
장성택; as *Kang Chun Hyok* and *Chun Hyuk Kang*. :func:`parse_name` gives every spelling a
set of keys ``"surname|given"`` such that spellings of one name share at least one key and
different names (almost always) share none. Keys are for exact variant equivalence;
typing mistakes are left to the fuzzy comparisons of linkage.

How keys are built
------------------
* Hangul is split into surname and given name (first syllable, or a compound surname
  such as 남궁 or 황보 — both readings are kept for 선우현-like names) and each syllable is
  turned into a key syllable (see :mod:`uncounted.records.names_reading`): consonant
  classes (k/g, t/d, p/b, ch/j, s/ss), seven finals, the initial-sound rule for the first
  syllable of each part (리 = 이, 룡 = 용). 장성택 -> ``chang|seong-taek``.
* Romanized text is split into words; the surname is looked up in a table of about a
  hundred surnames with their spellings (Kim/Gim, Lee/Yi/Ri/Rhee/I, Park/Pak/Bak,
  Choi/Choe/Chwe, ... in :mod:`uncounted.records.names_surnames`) at the front *or* the
  back: when both ends are surnames (*Chun Hyuk Kang*) both readings are kept. A comma
  (*Kim, Jong-un*) or one word in capitals (*KIM Jong Un*) fixes the surname. When
  neither end is a known surname the first word is taken as the surname. The given name
  is read syllable by syllable into every key syllable the spelling can stand for.
* A single word is a surname alone (``"Kim"`` -> ``kim|``) when it is a known surname,
  otherwise a given name alone (``"Chol"`` -> ``|chol`` and ``|cheol``); a single word
  that starts with a surname and goes on for two or more syllables (*Kimjongun*) is also
  read as a full name.
* Text that cannot be read as a Korean name (digits, letters outside Korean spellings)
  gets one verbatim key starting with ``~`` (``"~john smith"``), which matches only the
  same text. Empty text and markers of an unknown name (``unknown``, ``?``, ``모름``,
  ``미상``) get no key.
* Words in parentheses are read as further spellings of the same name
  (*Jang Song-thaek (장성택)*); titles (*Mr*, *Comrade*, 동지, 씨) are ignored.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from uncounted.records.names_reading import hangul_word_keys, read_chunks
from uncounted.records.names_surnames import COMPOUND_SURNAMES, SURNAME_SPELLINGS
from uncounted.records.romanize import decompose, split_hangul_name, surname_variants

__all__ = ["ParsedName", "name_keys", "parse_name"]

_UNKNOWN = frozenset(
    {
        "", "?", "unknown", "unk", "n/a", "n.a.", "none", "nil", "no name", "noname",
        "anonymous", "unnamed", "not known", "unidentified", "x", "xx", "xxx", "-",
        "모름", "미상", "불명", "알수없음", "알 수 없음", "이름모름", "이름 모름", "무명",
        "성명미상", "성명 미상",
    }
)  # fmt: skip
_LATIN_TITLES = frozenset(
    {"mr", "mrs", "ms", "miss", "dr", "comrade", "mister", "madam", "mme", "sir", "jr", "sr"}
)
_HANGUL_TITLES = frozenset({"동지", "동무", "씨", "님", "선생", "선생님", "여사"})
_APOSTROPHES = str.maketrans({c: "'" for c in "’‘`´ʼʻ′"})
_BREVE_MARKS = frozenset("\u0306\u030c\u0302\u0303\u0308\u0304")
_PARENTHESES = re.compile(r"[(\[{（［]([^)\]}）］]*)[)\]}）］]?")
_WORD_SPLIT = re.compile(r"[\s,.;:/|·_+&]+")
_MAX_GIVEN = 4


@dataclass(frozen=True)
class ParsedName:
    """A personal name as told, with its canonical parts and match keys.

    Attributes
    ----------
    as_told : str
        The text exactly as given.
    surname, given : str or None
        Key forms of the surname and given name in the most literal reading
        (``"chang"``, ``"seong-taek"``); ``None`` when that part is missing or unread.
    hangul : str or None
        The name in Hangul, when it was given in Hangul (spaces normalized).
    keys : tuple of str
        Match keys ``"surname|given"``, most literal reading first; empty for an empty or
        unknown name.
    """

    as_told: str
    surname: str | None
    given: str | None
    hangul: str | None
    keys: tuple[str, ...]

    def to_dict(self) -> dict[str, object]:
        """Plain data for JSON: as_told, surname, given, hangul and keys (a list)."""
        return {
            "as_told": self.as_told,
            "surname": self.surname,
            "given": self.given,
            "hangul": self.hangul,
            "keys": list(self.keys),
        }


def name_keys(text: str) -> list[str]:
    """The match keys of a name (see :func:`parse_name`)."""
    return list(parse_name(text).keys)


def parse_name(text: str) -> ParsedName:
    """Parse a Korean personal name written in Hangul or any romanization.

    Never raises: text that is not a readable name gets a verbatim ``~`` key, and empty
    or unknown names (``"unknown"``, ``"?"``, ``"모름"``) get no key.

    Parameters
    ----------
    text : str
        The name as told: ``"장성택"``, ``"Jang Song-thaek"``, ``"Chang Sŏng-t'aek"``,
        ``"Song Thaek Jang"``, ``"KIM Jong Un"``, ``"Kim, Jong-un"``.

    Returns
    -------
    ParsedName

    Examples
    --------
    >>> parse_name("Chang Sŏng-t'aek").keys
    ('chang|seong-taek',)
    >>> "chang|seong-taek" in parse_name("Jang Song Thaek").keys
    True
    """
    return _parse(text if isinstance(text, str) else "")


@lru_cache(maxsize=1 << 16)  # names repeat a lot across reports; ParsedName is immutable
def _parse(as_told: str) -> ParsedName:
    cleaned = unicodedata.normalize("NFC", as_told).strip()
    segments = [_PARENTHESES.sub(" ", cleaned)]
    segments += [m.group(1) for m in _PARENTHESES.finditer(cleaned)]
    readings: list[tuple[str | None, str | None]] = []
    hangul: str | None = None
    for segment in segments:
        if _is_unknown(segment):
            continue
        hangul_part = _hangul_text(segment)
        if hangul_part:
            if hangul is None:
                hangul = hangul_part
            readings += _hangul_readings(hangul_part)
        if _has_latin(segment):
            readings += _latin_readings(segment)
    keys = tuple(dict.fromkeys(_key(surname, given) for surname, given in readings))
    surname, given = readings[0] if readings else (None, None)
    return ParsedName(as_told, surname, given, hangul, keys)


def _key(surname: str | None, given: str | None) -> str:
    if surname is not None and surname.startswith("~"):
        return surname
    return f"{surname or ''}|{given or ''}"


def _is_unknown(segment: str) -> bool:
    raw = segment.casefold().strip()
    bare = " ".join(_WORD_SPLIT.split(raw)).strip()
    return raw in _UNKNOWN or bare in _UNKNOWN or not any(c.isalpha() for c in segment)


# --- Hangul -----------------------------------------------------------------------------


def _hangul_text(segment: str) -> str:
    kept = "".join(c if decompose(c) is not None else " " for c in segment)
    return " ".join(kept.split())


def _hangul_readings(text: str) -> list[tuple[str | None, str | None]]:
    words = [w for i, w in enumerate(text.split()) if i == 0 or w not in _HANGUL_TITLES]
    surname, given, _ = split_hangul_name(" ".join(words))
    if len(words) == 1 and not given and surname not in SURNAME_SPELLINGS:
        return [_hangul_reading("", surname)]  # one syllable that is no surname: 철
    if len(words) == 1 and len(given) == 1 and surname not in SURNAME_SPELLINGS:
        return [_hangul_reading("", surname + given)]  # 철호: a given name alone
    readings = [_hangul_reading(surname, given)]
    if len(surname) == 2 and len(words) == 1:
        # 남궁민 may be 남 궁민, 선우현 선 우현: keep the reading with a one-syllable surname
        readings.append(_hangul_reading(surname[0], surname[1] + given))
    return readings


def _hangul_reading(surname: str, given: str) -> tuple[str | None, str | None]:
    return (hangul_word_keys(surname, "") or None, hangul_word_keys(given, "-") or None)


# --- romanized ----------------------------------------------------------------------------


def _has_latin(segment: str) -> bool:
    return any(c.isalpha() and decompose(c) is None and not _is_jamo(c) for c in segment)


def _is_jamo(char: str) -> bool:
    return 0x1100 <= ord(char) <= 0x11FF or 0x3130 <= ord(char) <= 0x318F


def _normalize_latin(text: str) -> str:
    """Lower case; o/u with a breve-like mark -> ŏ/ŭ; other marks dropped; ä -> ae."""
    out: list[str] = []
    for char in unicodedata.normalize("NFD", text.translate(_APOSTROPHES).casefold()):
        if unicodedata.combining(char):
            if char in _BREVE_MARKS and out and out[-1] in ("o", "u"):
                out[-1] = "ŏ" if out[-1] == "o" else "ŭ"
            elif char == "\u0308" and out and out[-1] == "a":
                out[-1] = "ae"
            continue
        out.append(char)
    return "".join(out)


def _words(segment: str) -> tuple[list[str], list[bool], int | None]:
    """Latin words (normalized), whether each was in capitals, and a comma position."""
    comma_at: int | None = None
    if "," in segment:
        before = [w for w in _WORD_SPLIT.split(segment.split(",", 1)[0]) if _letters(w)]
        comma_at = len([w for w in before if w.casefold().strip(".") not in _LATIN_TITLES])
    raw = [w for w in _WORD_SPLIT.split(segment) if _letters(w)]
    raw = [w for w in raw if w.casefold() not in _LATIN_TITLES]
    words = [_normalize_latin(w).strip("-'") for w in raw]
    capitals = [sum(c.isalpha() for c in w) >= 2 and w.isupper() for w in raw]
    return words, capitals, comma_at


def _letters(word: str) -> bool:
    return any(c.isalpha() and decompose(c) is None for c in word)


def _latin_readings(segment: str) -> list[tuple[str | None, str | None]]:
    latin = "".join(" " if decompose(c) is not None or _is_jamo(c) else c for c in segment)
    words, capitals, comma_at = _words(latin)
    if not words:
        return []
    if any(re.search(r"[^a-zŏŭ'\-]", w) for w in words) or len(words) > 6:
        return [_verbatim(words)]
    readings = _ordered_readings(words, capitals, comma_at)
    return readings if readings else [_verbatim(words)]


def _verbatim(words: list[str]) -> tuple[str | None, str | None]:
    return "~" + " ".join(words), None


def _ordered_readings(
    words: list[str], capitals: list[bool], comma_at: int | None
) -> list[tuple[str | None, str | None]]:
    if len(words) == 1:
        return _single_word_readings(words[0])
    splits: list[tuple[list[str], list[str]]] = []  # (surname words, given words)
    if comma_at is not None and 0 < comma_at < len(words):
        splits.append((words[:comma_at], words[comma_at:]))
    elif _capital_surname(words, capitals) is not None:
        at = capitals.index(True)
        splits.append(([words[at]], words[:at] + words[at + 1 :]))
    else:
        for length in _surnames_at_front(words):
            splits.append((words[:length], words[length:]))
        for length in _surnames_at_back(words):
            splits.append((words[-length:], words[:-length]))
        if not splits:
            splits.append((words[:1], words[1:]))
    readings: list[tuple[str | None, str | None]] = []
    for surname_words, given_words in splits:
        readings += _split_readings(surname_words, given_words)
    return readings


def _capital_surname(words: list[str], capitals: list[bool]) -> int | None:
    """Index of the one word in capitals at either end when it is a surname (KIM Jong Un)."""
    if sum(capitals) != 1 or all(capitals):
        return None
    at = capitals.index(True)
    return at if at in (0, len(words) - 1) and _lookup_surname(words[at]) else None


def _surnames_at_front(words: list[str]) -> list[int]:
    """How many leading words can be the surname (2 for a split compound, Nam Gung)."""
    lengths = [2] if len(words) >= 3 and _is_compound(words[:2]) else []
    return lengths + ([1] if _lookup_surname(words[0]) else [])


def _surnames_at_back(words: list[str]) -> list[int]:
    lengths = [2] if len(words) >= 3 and _is_compound(words[-2:]) else []
    return lengths + ([1] if _lookup_surname(words[-1]) else [])


def _is_compound(words: list[str]) -> bool:
    return any(h in COMPOUND_SURNAMES for h in _lookup_surname(words[0] + words[1]))


def _split_readings(
    surname_words: list[str], given_words: list[str]
) -> list[tuple[str | None, str | None]]:
    surnames = _surname_keys(surname_words)
    if surnames is None:
        return []
    givens = _given_keys(given_words)
    if givens is None:
        return []
    return [(s, g) for s in surnames for g in givens]


def _surname_keys(words: list[str]) -> list[str] | None:
    found = _lookup_surname("".join(words))
    if found:
        return list(dict.fromkeys(hangul_word_keys(h, "") for h in found))
    chunks = [c for w in words for c in w.split("-") if c]
    return read_chunks(chunks, separator="", max_syllables=2)


def _given_keys(words: list[str]) -> list[str] | None:
    chunks = [c for w in words for c in w.split("-") if c]
    if not chunks:
        return []
    return read_chunks(chunks, separator="-", max_syllables=_MAX_GIVEN)


def _single_word_readings(word: str) -> list[tuple[str | None, str | None]]:
    found = _lookup_surname(word)
    if found:
        return [(s, None) for s in dict.fromkeys(hangul_word_keys(h, "") for h in found)]
    readings: list[tuple[str | None, str | None]] = []
    chunks = [c for c in word.split("-") if c]
    joined = "".join(chunks)
    for cut in range(1, min(len(joined) - 1, 9)):
        head = _lookup_surname(joined[:cut])
        if not head:
            continue
        rest = read_chunks([joined[cut:]], separator="-", max_syllables=_MAX_GIVEN, slack=0)
        rest = [g for g in rest or [] if g.count("-") >= 1]
        for surname in dict.fromkeys(hangul_word_keys(h, "") for h in head):
            readings += [(surname, g) for g in rest]
    givens = read_chunks(chunks, separator="-", max_syllables=_MAX_GIVEN)
    readings += [(None, g) for g in givens or []]
    return readings


# --- surname table ------------------------------------------------------------------------


def _surname_form(spelling: str) -> str:
    return _normalize_latin(spelling).replace("'", "").replace("-", "")


def _ascii_form(form: str) -> str:
    return form.replace("ŏ", "o").replace("ŭ", "u")


@lru_cache(maxsize=1)
def _surname_index() -> dict[str, tuple[str, ...]]:
    index: dict[str, list[str]] = {}
    for hangul in SURNAME_SPELLINGS:
        for spelling in surname_variants(hangul):
            form = _surname_form(spelling)
            for variant in dict.fromkeys((form, _ascii_form(form))):
                bucket = index.setdefault(variant, [])
                if hangul not in bucket:
                    bucket.append(hangul)
    return {form: tuple(hanguls) for form, hanguls in index.items()}


def _lookup_surname(word: str) -> tuple[str, ...]:
    """Hangul surnames a romanized word can spell (table order), or ``()``."""
    index = _surname_index()
    form = _surname_form(word)
    return index.get(form) or index.get(_ascii_form(form), ())
